using System.Diagnostics;
using HashTensorBench.Bitcoin;

namespace HashTensorBench.Hashing;

/// <summary>
/// Several devices searching one range together: the range is cut into one equal share per device, the
/// shares run at once, and the hits are merged.
/// </summary>
public sealed class MultiDeviceNonceSearcher : INonceSearcher
{
    private readonly INonceSearcher[] _devices;

    /// <summary>Combines <paramref name="devices"/>, which it then owns (disposing those that are disposable).</summary>
    /// <exception cref="ArgumentException">No device was given.</exception>
    public MultiDeviceNonceSearcher(IEnumerable<INonceSearcher> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        _devices = [.. devices];
        if (_devices.Length == 0)
            ThrowHelper.ThrowArgument(nameof(devices), "A multi-device search needs at least one device.");
    }

    /// <summary>The devices, in the order their shares of a range are assigned.</summary>
    public IReadOnlyList<INonceSearcher> Devices => _devices;

    /// <inheritdoc/>
    public string Name => string.Join(" + ", _devices.Select(d => d.Name));

    /// <inheritdoc/>
    public NonceSearchResult Search(in BlockHeader header, Target target, NonceRange range,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var shares = new List<(INonceSearcher Device, NonceRange Range)>();
        long share = (range.Count + _devices.Length - 1) / _devices.Length;
        for (int i = 0; i < _devices.Length && i * share < range.Count; i++)
            shares.Add((_devices[i], new NonceRange((uint)(range.Start + i * share), Math.Min(share, range.Count - i * share))));

        var done = new long[shares.Count];
        var copy = header;
        var stopwatch = Stopwatch.StartNew();
        var tasks = shares.Select((s, i) => Task.Run(() => s.Device.Search(copy, target, s.Range,
            progress is null ? null : new ShareProgress(done, i, progress), cancellationToken), CancellationToken.None)).ToArray();
        try
        {
            // Without the token: every device checks it between launches, and returning before they stop
            // would let the caller dispose accelerators under running kernels.
            Task.WaitAll(tasks);
        }
        catch (AggregateException ex)
        {
            // A failed device's own exception names it; cancellation only when nothing failed.
            var failure = ex.Flatten().InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) ?? ex.InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        stopwatch.Stop();
        var hits = tasks.SelectMany(t => t.Result.Hits).OrderBy(h => h.Nonce).ToList();
        return new NonceSearchResult(Name, range.Count, hits, stopwatch.Elapsed);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var device in _devices)
            device.Dispose();
    }

    private sealed class ShareProgress(long[] done, int index, IProgress<long> inner) : IProgress<long>
    {
        public void Report(long value)
        {
            Interlocked.Exchange(ref done[index], value);
            long total = 0;
            for (int i = 0; i < done.Length; i++)
                total += Interlocked.Read(ref done[i]);
            inner.Report(total);
        }
    }
}
