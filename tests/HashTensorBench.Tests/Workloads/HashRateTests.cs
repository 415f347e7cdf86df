using HashTensorBench.Bitcoin;
using HashTensorBench.Energy;
using HashTensorBench.Hashing;
using HashTensorBench.Tests.Energy;
using HashTensorBench.Workloads;

namespace HashTensorBench.Tests.Workloads;

/// <summary>
/// <see cref="HashRate"/>'s windows on a clock moved by hand: a searcher of known speed, with bursts of other work at known
/// times, shows what the window length does to the spread, with no timing in the test.
/// </summary>
public class HashRateTests
{
    [Theory]
    [InlineData(10, 1.0)]
    [InlineData(60, 3.0)]
    [InlineData(3, 0.3)]
    [InlineData(1, 0.1)]
    public void Windows_last_a_second_or_a_twentieth_of_the_run_and_leave_room_for_ten(double seconds, double window)
    {
        Assert.Equal(TimeSpan.FromSeconds(window), HashRate.WindowFor(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void A_short_burst_of_other_work_every_1_5_s_does_not_make_the_rate_unstable()
    {
        // 60 ms taken from the searcher every 1.5 s, as a shared VM's housekeeping does: a half-second window caught one
        // whole in a third of the windows (12 % slower, the middle half spanning 10.7 %); a one-second window shares it.
        var time = new ManualTime();
        using var searcher = new ClockedSearcher(time, hashesPerSecond: 1e9, burstEvery: TimeSpan.FromSeconds(1.5), burst: TimeSpan.FromMilliseconds(60));
        using var meter = new UnavailableEnergyMeter("cpu", EnergySources.Rapl, "test");
        var run = HashRate.Measure(searcher, meter, TimeSpan.FromSeconds(10), time);

        Assert.True(run.Windows.QuartileSpread < RateMeasurement.SpreadThreshold, $"{run.Windows.QuartileSpread:P1}");
        Assert.DoesNotContain(run.Warnings, w => w.StartsWith("the rate is unstable", StringComparison.Ordinal));
        Assert.InRange(run.Windows.Windows, RateMeasurement.MinimumWindows, 12);
        // The bursts still cost what they cost: the median lies between the clean rate and that of a window of a little
        // under a second's work that carries one burst whole.
        Assert.InRange(run.Rate, 1e9 / 1.07, 1e9);
    }

    [Fact]
    public void A_device_slower_every_third_step_is_still_unstable()
    {
        // Real noise: every third search runs at 70 % (a clock held back, a shared GPU), whatever the window length.
        var time = new ManualTime();
        using var searcher = new ClockedSearcher(time, hashesPerSecond: 1e9, slowEvery: 3, slowFactor: 0.7);
        using var meter = new UnavailableEnergyMeter("cpu", EnergySources.Rapl, "test");
        var run = HashRate.Measure(searcher, meter, TimeSpan.FromSeconds(10), time);

        Assert.True(run.Windows.QuartileSpread > RateMeasurement.SpreadThreshold, $"{run.Windows.QuartileSpread:P1}");
        Assert.Contains(run.Warnings, w => w.StartsWith("the rate is unstable", StringComparison.Ordinal));
    }

    /// <summary>Searches nothing; moves the clock by the time its hashes take at a set rate, plus the bursts that fall inside.</summary>
    private sealed class ClockedSearcher(ManualTime time, double hashesPerSecond, TimeSpan burstEvery = default, TimeSpan burst = default,
        int slowEvery = 0, double slowFactor = 1) : INonceSearcher
    {
        private int _calls;

        public string Name => "clocked";

        public NonceSearchResult Search(in BlockHeader header, Target target, NonceRange range, IProgress<long>? progress = null,
            CancellationToken cancellationToken = default)
        {
            double rate = slowEvery > 0 && ++_calls % slowEvery == 0 ? hashesPerSecond * slowFactor : hashesPerSecond;
            var work = TimeSpan.FromSeconds(range.Count / rate);
            long start = time.GetTimestamp();
            long bursts = burstEvery > TimeSpan.Zero ? (start + work.Ticks) / burstEvery.Ticks - start / burstEvery.Ticks : 0;
            var took = work + bursts * burst;
            time.Advance(took);
            return new NonceSearchResult(Name, range.Count, [], took);
        }

        public void Dispose()
        {
        }
    }
}
