using HashTensorBench.Energy;

namespace HashTensorBench.Tests.Energy;

public sealed class EnergyMathTests
{
    [Theory]
    [InlineData(100UL, 250UL, 1000UL, 150UL)]
    [InlineData(900UL, 100UL, 1000UL, 200UL)]
    [InlineData(1000UL, 0UL, 1000UL, 0UL)]
    [InlineData(7UL, 7UL, 1000UL, 0UL)]
    public void Counter_delta_handles_one_wrap(ulong previous, ulong current, ulong range, ulong expected) =>
        Assert.Equal(expected, EnergyMath.CounterDelta(previous, current, range));

    [Fact]
    public void Millijoules_become_joules_and_a_backwards_counter_gives_none()
    {
        Assert.Equal(1.5, EnergyMath.MillijoulesToJoules(10_000, 11_500));
        Assert.Null(EnergyMath.MillijoulesToJoules(11_500, 10_000));
    }

    [Fact]
    public void Trapezoid_integrates_uneven_samples()
    {
        PowerSample[] samples = [new(0, 100), new(0.1, 100), new(0.25, 200), new(1.0, 200), new(1.1, 0)];
        // 10 J + 22.5 J + 150 J + 10 J
        Assert.Equal(192.5, EnergyMath.Trapezoid(samples), 9);
        Assert.Equal(0, EnergyMath.Trapezoid([new(3, 400)]));
    }

    [Fact]
    public void A_window_whose_edge_reads_failed_still_counts_its_whole_length()
    {
        // Samples from 1 s to 3 s of a 4 s window at a steady 100 W: the first and last reads failed.
        PowerSample[] samples = [new(1, 100), new(2, 100), new(3, 100)];
        Assert.Equal(200, EnergyMath.Trapezoid(samples), 9);
        Assert.Equal(400, EnergyMath.TrapezoidOverWindow(samples, 4), 9);
        // Samples at both edges add nothing.
        Assert.Equal(EnergyMath.Trapezoid([new(0, 50), new(2, 150)]), EnergyMath.TrapezoidOverWindow([new(0, 50), new(2, 150)], 2), 9);
    }
}
