using HashTensorBench.Workloads;

namespace HashTensorBench.Tests.Workloads;

public class RateMeasurementTests
{
    [Fact]
    public void Warms_up_then_times_each_step_as_a_window_until_both_minimums_are_met()
    {
        int calls = 0;
        var measured = RateMeasurement.Measure("FLOP", () =>
        {
            calls++;
            Thread.Sleep(2);
            return 1000;
        }, minimum: TimeSpan.FromMilliseconds(30), warmup: TimeSpan.Zero, minimumWindows: 7);

        // Untimed warm-up steps first (until two agree or 0.5 s), then at least 7 windows and at least 30 ms of them.
        Assert.InRange(measured.Windows, 1, calls - 1);
        Assert.True(measured.Warmup > TimeSpan.Zero);
        Assert.InRange(measured.Windows, 7, 16);
        Assert.True(measured.Elapsed >= TimeSpan.FromMilliseconds(30));
        Assert.Equal(measured.Rates.Order(), measured.Rates);
        Assert.InRange(measured.Median, measured.Min, measured.Max);
        // Each window slept at least 2 ms for 1000 units: no rate above 500,000 per second.
        Assert.True(measured.Max <= 1000 / 0.002, $"{measured.Max}");
        Assert.Equal((measured.Max - measured.Min) / measured.Median, measured.Spread, 12);
        Assert.InRange(measured.LowerQuartile, measured.Min, measured.Median);
        Assert.InRange(measured.UpperQuartile, measured.Median, measured.Max);
        Assert.Equal((measured.UpperQuartile - measured.LowerQuartile) / measured.Median, measured.QuartileSpread, 12);
        Assert.Equal("FLOP", measured.Unit);
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_middle_two()
    {
        // Steps alternate between 1 and 3 units of work in about the same time: the median lies between.
        int call = 0;
        var measured = RateMeasurement.Measure("H", () =>
        {
            Thread.Sleep(5);
            return call++ % 2 == 0 ? 1 : 3;
        }, TimeSpan.Zero, TimeSpan.Zero, minimumWindows: 4);
        Assert.Equal(4, measured.Windows);
        Assert.Equal((measured.Rates[1] + measured.Rates[2]) / 2, measured.Median);
        Assert.True(measured.Max / measured.Min > 2, "3 units against 1 in the same time");
    }

    [Fact]
    public void Quartiles_interpolate_between_ranks_and_ignore_one_outlier()
    {
        // Windows of 10, 20, 30, 40 and one stray 1000: quartiles 20 and 40, median 30.
        var measured = RateMeasurement.FromWindows("H", [40, 10, 1000, 30, 20], TimeSpan.FromSeconds(5), TimeSpan.Zero);
        Assert.Equal(30, measured.Median);
        Assert.Equal(20, measured.LowerQuartile);
        Assert.Equal(40, measured.UpperQuartile);
        Assert.Equal(20.0 / 30, measured.QuartileSpread, 12);
        Assert.Equal(990.0 / 30, measured.Spread, 12);
        Assert.Contains(measured.Warnings(), w => w.StartsWith("the rate is unstable", StringComparison.Ordinal));
        // The same stray window beside a steady middle half: no warning.
        var steady = RateMeasurement.FromWindows("H", [100, 101, 99, 100, 100, 250], TimeSpan.FromSeconds(6), TimeSpan.Zero);
        Assert.Empty(steady.Warnings());
    }

    [Fact]
    public void Cancellation_stops_the_loop()
    {
        using var cancel = new CancellationTokenSource();
        int calls = 0;
        Assert.Throws<OperationCanceledException>(() => RateMeasurement.Measure("H", () =>
        {
            if (++calls == 3)
                cancel.Cancel();
            return 1;
        }, TimeSpan.FromHours(1), TimeSpan.Zero, cancellationToken: cancel.Token));
        Assert.Equal(3, calls);
    }
}
