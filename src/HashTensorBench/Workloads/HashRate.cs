using System.Diagnostics;
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
    /// <summary>Each step aims at this share of the run, so the run overshoots its duration by little.</summary>
    private const int StepsPerRun = 20;

    /// <summary>Measures <paramref name="searcher"/> for at least <paramref name="duration"/>, reading energy from <paramref name="meter"/>.</summary>
    public static TimedRun Measure(INonceSearcher searcher, IEnergyMeter meter, TimeSpan duration,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searcher);
        var header = KnownHeaders.Genesis.Header;
        var target = header.Target;
        // Warm up outside the window (JIT, kernel compilation), then double the chunk until one takes
        // 50 ms, and size the steps from that chunk's rate alone.
        long sizing = Stopwatch.GetTimestamp();
        long chunk = 1 << 16;
        long item = 0;
        searcher.SearchRolling(header, target, item, chunk, cancellationToken: cancellationToken);
        item += chunk;
        double seconds;
        while (true)
        {
            var stopwatch = Stopwatch.StartNew();
            searcher.SearchRolling(header, target, item, chunk, cancellationToken: cancellationToken);
            seconds = stopwatch.Elapsed.TotalSeconds;
            item += chunk;
            if (seconds >= 0.05)
                break;
            chunk *= 2;
        }
        long step = Math.Max(chunk, (long)(chunk / seconds * duration.TotalSeconds / StepsPerRun));
        double Step()
        {
            var result = searcher.SearchRolling(header, target, item % (VersionRolling.WorkItems - step), step, cancellationToken: cancellationToken);
            item += step;
            return result.Hashes;
        }
        // Then whole steps until two in a row run at the same rate (clocks up, caches warm), each step a window.
        Warmups.UntilSettled(Step, Warmups.DefaultMinimum, cancellationToken);
        return TimedRun.Measure(searcher.Name, WorkUnits.Hash, meter, duration, Step, progress, cancellationToken, Stopwatch.GetElapsedTime(sizing));
    }
}
