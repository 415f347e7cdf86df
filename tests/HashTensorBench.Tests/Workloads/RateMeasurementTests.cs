using HashTensorBench.Tests.Energy;
using HashTensorBench.Workloads;

namespace HashTensorBench.Tests.Workloads;

public class RateMeasurementTests
{
    [Fact]
    public void Warms_up_then_times_each_step_as_a_window_until_both_minimums_are_met()
    {
        // Each step takes exactly 2 ms of a clock moved by hand: every count below is known, not a range.
        var time = new ManualTime();
        int calls = 0;
        var measured = RateMeasurement.Measure("FLOP", () =>
        {
            calls++;
            time.Advance(TimeSpan.FromMilliseconds(2));
            return 1000;
        }, minimum: TimeSpan.FromMilliseconds(30), warmup: TimeSpan.Zero, minimumWindows: 7, time);

        // Two untimed warm-up steps (the second agrees with the first), then 15 windows to reach 30 ms, over the 7 asked.
        Assert.Equal(TimeSpan.FromMilliseconds(4), measured.Warmup);
        Assert.Equal(15, measured.Windows);
        Assert.Equal(17, calls);
        Assert.Equal(TimeSpan.FromMilliseconds(30), measured.Elapsed);
        Assert.All(measured.Rates, rate => Assert.Equal(1000 / 0.002, rate, 6));
        Assert.Equal(0, measured.Spread);
        Assert.Equal("FLOP", measured.Unit);

        // Fewer, longer steps: the window count is the floor, 7, though 30 ms passed after 3.
        var slow = RateMeasurement.Measure("FLOP", () =>
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            return 1000;
        }, minimum: TimeSpan.FromMilliseconds(30), warmup: TimeSpan.Zero, minimumWindows: 7, time);
        Assert.Equal(7, slow.Windows);
        Assert.Equal(TimeSpan.FromMilliseconds(70), slow.Elapsed);
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_middle_two()
    {
        // Steps alternate between 1 and 3 units of work in the same 5 ms: the median lies between.
        var time = new ManualTime();
        int call = 0;
        var measured = RateMeasurement.Measure("H", () =>
        {
            time.Advance(TimeSpan.FromMilliseconds(5));
            return call++ % 2 == 0 ? 1 : 3;
        }, TimeSpan.Zero, TimeSpan.Zero, minimumWindows: 4, time);
        Assert.Equal(4, measured.Windows);
        Assert.Equal(new double[] { 200, 200, 600, 600 }, measured.Rates.Select(r => Math.Round(r, 6)));
        Assert.Equal(400, measured.Median, 6);
        Assert.Equal(3, measured.Max / measured.Min, 6);
    }

    [Fact]
    public void The_statistics_hold_together_on_real_time()
    {
        // The one test on the real clock: how long steps take is unknown, so only the relations between the figures are asserted.
        var measured = RateMeasurement.Measure("FLOP", () =>
        {
            Thread.Sleep(2);
            return 1000;
        }, minimum: TimeSpan.FromMilliseconds(30), warmup: TimeSpan.Zero, minimumWindows: 7);
        Assert.True(measured.Windows >= 7 && measured.Elapsed >= TimeSpan.FromMilliseconds(30), $"{measured.Windows} in {measured.Elapsed}");
        Assert.True(measured.Warmup > TimeSpan.Zero);
        Assert.Equal(measured.Rates.Order(), measured.Rates);
        Assert.InRange(measured.Median, measured.Min, measured.Max);
        // Each window slept at least 2 ms for 1000 units: no rate above 500,000 per second.
        Assert.True(measured.Max <= 1000 / 0.002, $"{measured.Max}");
        Assert.Equal((measured.Max - measured.Min) / measured.Median, measured.Spread, 12);
        Assert.InRange(measured.LowerQuartile, measured.Min, measured.Median);
        Assert.InRange(measured.UpperQuartile, measured.Median, measured.Max);
        Assert.Equal((measured.UpperQuartile - measured.LowerQuartile) / measured.Median, measured.QuartileSpread, 12);
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
