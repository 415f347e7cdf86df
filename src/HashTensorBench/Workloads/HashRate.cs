using HashTensorBench.Bitcoin;
using HashTensorBench.Energy;
using HashTensorBench.Hashing;

namespace HashTensorBench.Workloads;

/// <summary>
/// Measures a device's sha256d rate as a miner would see it: the genesis header at its real target,
/// walking nonces and then BIP 320 versions, so the work never repeats however long the run.
/// </summary>
public static class HashRate
{
    /// <summary>Windows aim at this share of the run, so a long run still has enough of them for quartiles.</summary>
    private const int StepsPerRun = 20;

    /// <summary>
    /// The shortest window, where the run is long enough for ten of them: a
    /// half-second window is a few chunks per CPU thread, and a burst of other work or one chunk left to the step's
    /// end moves it by a tenth or more (docs/research/2026-12-06-hashrate-window-spread.md).
    /// </summary>
    internal static readonly TimeSpan MinimumWindow = TimeSpan.FromSeconds(1);

    /// <summary>The sizing chunk runs at least this long: a shorter one, on a shared machine, misjudges the rate by half or double.</summary>
    private static readonly TimeSpan SizingChunk = TimeSpan.FromSeconds(0.2);

    /// <summary>Measures <paramref name="searcher"/> for at least <paramref name="duration"/>, reading energy from <paramref name="meter"/>.</summary>
    public static TimedRun Measure(INonceSearcher searcher, IEnergyMeter meter, TimeSpan duration,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        Measure(searcher, meter, duration, TimeProvider.System, progress, cancellationToken);

    // The clock is a seam for tests, whose searchers move a fake one by known amounts.
    internal static TimedRun Measure(INonceSearcher searcher, IEnergyMeter meter, TimeSpan duration, TimeProvider time,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searcher);
        var header = KnownHeaders.Genesis.Header;
        var target = header.Target;
        // Warm up outside the window (JIT, kernel compilation), then double the chunk until one takes
        // the sizing time, and size the steps from that chunk's rate alone.
        long sizing = time.GetTimestamp();
        long chunk = 1 << 16;
        long item = 0;
        searcher.SearchRolling(header, target, item, chunk, cancellationToken: cancellationToken);
        item += chunk;
        double seconds;
        while (true)
        {
            long start = time.GetTimestamp();
            searcher.SearchRolling(header, target, item, chunk, cancellationToken: cancellationToken);
            seconds = time.GetElapsedTime(start).TotalSeconds;
            item += chunk;
            if (seconds >= SizingChunk.TotalSeconds)
                break;
            chunk *= 2;
        }
        var window = WindowFor(duration);
        long step = Math.Max(chunk, WholeChunks(chunk / seconds * window.TotalSeconds));
        double Step()
        {
            var result = searcher.SearchRolling(header, target, item % (VersionRolling.WorkItems - step), step, cancellationToken: cancellationToken);
            item += step;
            return result.Hashes;
        }
        // Then whole steps until two in a row run at the same rate (clocks up, caches warm), each step a window, sized
        // again from that settled rate: the sizing chunk ran before the clocks and the machine's load settled.
        var (_, settled) = Warmups.UntilSettled(Step, Warmups.DefaultMinimum, time, cancellationToken);
        step = WholeChunks(settled * window.TotalSeconds);
        return TimedRun.Measure(searcher.Name, WorkUnits.Hash, meter, duration, Step, time, progress, cancellationToken, time.GetElapsedTime(sizing));
    }

    // A step is whole chunks of 2^16 nonces, the first chunk's size: every searcher's lanes and blocks divide it.
    private static long WholeChunks(double hashes) => Math.Max(1L << 16, (long)hashes >> 16 << 16);

    /// <summary>
    /// How long each window of a run of <paramref name="duration"/> lasts: a twentieth of it, but at least
    /// <see cref="MinimumWindow"/>, and short enough for twice <see cref="RateMeasurement.MinimumWindows"/> windows, so a
    /// step that runs slower than its sizing chunk did still leaves enough of them.
    /// </summary>
    internal static TimeSpan WindowFor(TimeSpan duration) =>
        TimeSpan.FromTicks(Math.Min(Math.Max(duration.Ticks / StepsPerRun, MinimumWindow.Ticks), duration.Ticks / (2 * RateMeasurement.MinimumWindows)));
}
