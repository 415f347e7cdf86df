using System.Diagnostics;
using System.Runtime.ExceptionServices;
using HashTensorBench.Bitcoin;
using HashTensorBench.Hashing;

namespace HashTensorBench.Mining.Stratum;

/// <summary>
/// Mines a pool's work on a nonce searcher: for each work it walks extranonce2, then the version rolls the
/// pool allows, then the nonces in chunks; when every extranonce2 of a job is spent before a new job comes, it rolls
/// nTime forward a second at a time, up to <see cref="MaxTimeRoll"/>. Every hit is checked on the CPU before it is submitted.
/// </summary>
/// <remarks>
/// A clean job, a new extranonce or a lost connection cancels the search at once; other new work is taken
/// when the current chunk ends. With BIP 320's whole mask the rolls go through
/// <see cref="VersionRolling.SearchRolling"/>.
/// </remarks>
public sealed class StratumMiner
{
    /// <summary>
    /// How far past a job's nTime the miner rolls it, in seconds: Stratum V1 does not say how far a pool allows, and 600 s
    /// stays well within Bitcoin's two hours into the future and the windows pools check.
    /// </summary>
    public const uint MaxTimeRoll = 600;

    private readonly StratumClient _client;
    private readonly INonceSearcher _searcher;
    private readonly long _maxChunk;
    private long _chunk;
    private readonly long _noncesPerVersion;
    private readonly Action<string> _log;
    private readonly Action<Share, ShareResult>? _onShare;
    private readonly Lock _statsGate = new();
    private readonly List<Task> _submissions = [];
    private readonly Stopwatch _clock = new();
    private readonly TimeProvider _time;
    private long _hashes;
    private long _accepted;
    private long _rejected;
    private long _unanswered;
    private long _stale;
    private long _blocks;
    private long _failedChecks;
    private double _acceptedDifficulty;
    private ulong _extranonce2;
    private string? _job;
    private ulong _jobFirst;
    private long _works;

    /// <summary>Creates a miner.</summary>
    /// <param name="client">The pool session.</param>
    /// <param name="searcher">The device that searches.</param>
    /// <param name="noncesPerChunk">The most nonces per search call, a power of two up to 2^32. Chunks start at 2^12 (or this, if
    /// smaller) and double while a search takes under 0.25 s, halving when one takes over 1 s: new (not clean) work is taken
    /// between chunks, and a chunk's shares are sent when it ends.</param>
    /// <param name="noncesPerVersion">How many nonces of each rolled version to search before the next version, a power of two from
    /// <paramref name="noncesPerChunk"/> to 2^32 (all of them by default); a smaller number rolls versions sooner.</param>
    /// <param name="log">Told about the work and about hits that fail the check.</param>
    /// <param name="onShare">Told each share and the pool's answer.</param>
    /// <param name="time">The clock a mining duration is counted on (the system's by default).</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is not a power of two in its range.</exception>
    public StratumMiner(StratumClient client, INonceSearcher searcher, long noncesPerChunk = 1L << 26, long noncesPerVersion = NonceRange.NonceCount,
        Action<string>? log = null, Action<Share, ShareResult>? onShare = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(searcher);
        if (noncesPerChunk < 1 || noncesPerChunk > NonceRange.NonceCount || (noncesPerChunk & (noncesPerChunk - 1)) != 0)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(noncesPerChunk), $"Nonces per chunk is a power of two from 1 to 2^32; got {noncesPerChunk}.");
        if (noncesPerVersion < noncesPerChunk || noncesPerVersion > NonceRange.NonceCount || (noncesPerVersion & (noncesPerVersion - 1)) != 0)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(noncesPerVersion),
                $"Nonces per version is a power of two from the nonces per chunk ({noncesPerChunk}) to 2^32; got {noncesPerVersion}.");
        _noncesPerVersion = noncesPerVersion;
        _client = client;
        _searcher = searcher;
        _maxChunk = noncesPerChunk;
        _chunk = Math.Min(noncesPerChunk, 1L << 12);
        _log = log ?? (_ => { });
        _onShare = onShare;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The counts so far.</summary>
    public MiningStatistics Statistics
    {
        get
        {
            lock (_statsGate)
                return new MiningStatistics(_searcher.Name, _hashes, _clock.Elapsed, _accepted, _rejected, _unanswered, _stale, _blocks, _failedChecks,
                    _acceptedDifficulty, _works);
        }
    }

    /// <summary>
    /// Runs the pool session and the search together for <paramref name="duration"/> (or until cancelled),
    /// then waits up to <paramref name="answerGrace"/> (5 s by default) for the pool's answers to the shares
    /// already sent, and returns the counts.
    /// </summary>
    /// <exception cref="StratumException">No pool could be reached at the start, one refused the user, or no job came before the end.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (after the wait for answers).</exception>
    public async Task<MiningStatistics> MineAsync(TimeSpan? duration = null, CancellationToken cancellationToken = default, TimeSpan? answerGrace = null)
    {
        // A linked source cannot take a clock: the duration's own source, on the miner's clock, is linked instead.
        using var deadline = duration is { } limit ? new CancellationTokenSource(limit, _time) : new CancellationTokenSource();
        using var stopMining = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var stopSession = new CancellationTokenSource();
        _clock.Start();
        var session = _client.RunAsync(stopSession.Token);
        var mining = MineLoopAsync(stopMining.Token, stopSession.Token);
        // The session ends only by an error, the mining loop by the stop or a device's error; either way the search stops.
        await Task.WhenAny(session, mining).ConfigureAwait(false);
        await stopMining.CancelAsync().ConfigureAwait(false);
        var miningFailure = await FailureOf(mining).ConfigureAwait(false);
        _clock.Stop();
        Task[] pending;
        lock (_statsGate)
            pending = [.. _submissions];
        try
        {
            await Task.WhenAll(pending).WaitAsync(answerGrace ?? TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        await stopSession.CancelAsync().ConfigureAwait(false);
        var sessionFailure = await FailureOf(session).ConfigureAwait(false);
        // Answers still missing now are counted as unanswered by their submissions.
        lock (_statsGate)
            pending = [.. _submissions];
        await Task.WhenAll(pending).ConfigureAwait(false);
        if ((sessionFailure ?? miningFailure) is { } failure)
            ExceptionDispatchInfo.Throw(failure);
        cancellationToken.ThrowIfCancellationRequested();
        var stats = Statistics;
        if (stats.Works == 0)
            throw new StratumException($"no job came from the pool in {stats.Elapsed.TotalSeconds:F0} s");
        return stats;
    }

    // The task's exception, if it failed other than by cancellation.
    private static async Task<Exception?> FailureOf(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private async Task MineLoopAsync(CancellationToken cancellationToken, CancellationToken sessionToken)
    {
        long seen = 0;
        while (true)
        {
            var work = await _client.WaitForWorkAsync(seen, cancellationToken).ConfigureAwait(false);
            seen = work.Generation;
            // A thread of its own: the search blocks it for a chunk at a time, and the searchers use the pool's threads.
            await Task.Factory.StartNew(() => Mine(work, cancellationToken, sessionToken), cancellationToken, TaskCreationOptions.LongRunning,
                TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    // Searches one work until newer work, its abandonment, or the stop.
    private void Mine(MiningWork work, CancellationToken cancellationToken, CancellationToken sessionToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, work.Abandoned);
        var job = work.Job;
        lock (_statsGate)
        {
            _works++;
            // The extranonce2 counter runs on across the works of one job (a new difficulty republishes it), so nTime is
            // rolled only once this job, not the miner, has spent every extranonce2.
            if (_job != job.JobId)
                (_job, _jobFirst) = (job.JobId, _extranonce2);
        }
        long rolls = VersionRolling.RollsOf(work.VersionMask);
        bool bip320 = work.VersionMask == VersionRolling.Mask;
        while (true)
        {
            ulong counter, first;
            lock (_statsGate)
                (counter, first) = (_extranonce2++, _jobFirst);
            uint timeRoll = 0;
            if (work.Extranonce2Count != ulong.MaxValue)
            {
                ulong wraps = (counter - first) / work.Extranonce2Count;
                if (wraps > MaxTimeRoll)
                {
                    _log($"job {job.JobId} is spent: every extranonce2, version and nonce up to nTime + {MaxTimeRoll} s; waiting for a new job.");
                    return;
                }
                timeRoll = (uint)wraps;
                counter %= work.Extranonce2Count;
            }
            byte[] extranonce2 = work.Extranonce2(counter);
            var header = job.Header(work.Extranonce1.Span, extranonce2, job.Time + timeRoll);
            for (long roll = 0; roll < rolls; roll++)
            for (long start = 0, count; start < _noncesPerVersion; start += count)
            {
                long item = (roll << 32) | start;
                count = Math.Min(_chunk, _noncesPerVersion - start);
                if (_client.Generation != work.Generation || linked.IsCancellationRequested)
                    return;
                var progress = new LastValue();
                NonceSearchResult result;
                try
                {
                    result = bip320
                        ? _searcher.SearchRolling(header, work.ShareTarget, item, count, progress, linked.Token)
                        : _searcher.Search(header.WithVersion(VersionRolling.Version(job.Version, work.VersionMask, roll)), work.ShareTarget,
                            new NonceRange((uint)start, count), progress, linked.Token);
                }
                catch (OperationCanceledException)
                {
                    lock (_statsGate)
                        _hashes += progress.Value;
                    return;
                }
                lock (_statsGate)
                    _hashes += result.Hashes;
                if (result.Elapsed < TimeSpan.FromSeconds(0.25) && _chunk < _maxChunk)
                    _chunk *= 2;
                else if (result.Elapsed > TimeSpan.FromSeconds(1) && _chunk > 1)
                    _chunk /= 2;
                foreach (var hit in result.Hits)
                    Check(work, header, extranonce2, hit, sessionToken);
            }
        }
    }

    // Recomputes a hit's hash on the CPU; only a share that checks is sent.
    private void Check(MiningWork work, BlockHeader header, byte[] extranonce2, NonceHit hit, CancellationToken cancellationToken)
    {
        var job = work.Job;
        var full = header.WithVersion(hit.Version).WithNonce(hit.Nonce);
        var hash = full.Hash;
        bool versionAllowed = (hit.Version & ~work.VersionMask) == (job.Version & ~work.VersionMask);
        if (hash != hit.Hash || !work.ShareTarget.IsMetBy(hash) || !versionAllowed)
        {
            lock (_statsGate)
                _failedChecks++;
            _log($"{_searcher.Name} reported nonce {hit.Nonce} (version {hit.Version:x8}) that does not check against the job; not submitted.");
            return;
        }
        bool isBlock = job.NetworkTarget.IsMetBy(hash);
        var share = new Share(job.JobId, extranonce2, full.Time, hit.Nonce, hit.Version, hash, ShareTarget.DifficultyOf(hash), isBlock);
        if (isBlock)
            _log($"block found: {hash} (job {job.JobId}).");
        var submission = SubmitAsync(work, share, cancellationToken);
        lock (_statsGate)
        {
            _submissions.RemoveAll(task => task.IsCompleted);
            _submissions.Add(submission);
        }
    }

    private async Task SubmitAsync(MiningWork work, Share share, CancellationToken cancellationToken)
    {
        ShareResult result;
        try
        {
            result = await _client.SubmitAsync(work, share, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            result = new ShareResult(ShareStatus.Unanswered, "stopped before the pool answered");
        }
        lock (_statsGate)
        {
            switch (result.Status)
            {
                case ShareStatus.Accepted:
                    _accepted++;
                    _acceptedDifficulty += work.Difficulty;
                    if (share.IsBlock)
                        _blocks++;
                    break;
                case ShareStatus.Rejected:
                    _rejected++;
                    break;
                case ShareStatus.Unanswered:
                    _unanswered++;
                    break;
                default:
                    _stale++;
                    break;
            }
        }
        _onShare?.Invoke(share, result);
    }

    // Progress<T> posts to the thread pool; this keeps the last count at once.
    private sealed class LastValue : IProgress<long>
    {
        public long Value { get; private set; }

        public void Report(long value) => Value = value;
    }
}

/// <summary>What a miner did.</summary>
/// <param name="Device">The searcher's name.</param>
/// <param name="Hashes">Hashes computed.</param>
/// <param name="Elapsed">Wall time, connecting included.</param>
/// <param name="Accepted">Shares the pool accepted.</param>
/// <param name="Rejected">Shares the pool rejected.</param>
/// <param name="Unanswered">Shares sent without an answer.</param>
/// <param name="Stale">Shares not sent because their session had ended.</param>
/// <param name="Blocks">Accepted shares that also met the network target.</param>
/// <param name="FailedChecks">Hits from the device whose hash did not check on the CPU (none were sent).</param>
/// <param name="AcceptedDifficulty">The pool difficulties of the accepted shares, summed.</param>
/// <param name="Works">Works the pool sent that were mined (a job, or the same job at a new difficulty or extranonce).</param>
public sealed record MiningStatistics(string Device, long Hashes, TimeSpan Elapsed, long Accepted, long Rejected, long Unanswered, long Stale,
    long Blocks, long FailedChecks, double AcceptedDifficulty, long Works)
{
    /// <summary>Hashes per second of wall time.</summary>
    public double HashesPerSecond => Elapsed > TimeSpan.Zero ? Hashes / Elapsed.TotalSeconds : 0;

    /// <summary>The hash rate the accepted shares prove: each share of difficulty <c>d</c> stands for <c>d·2^32</c> hashes.</summary>
    public double EffectiveHashesPerSecond => Elapsed > TimeSpan.Zero ? AcceptedDifficulty * 4294967296.0 / Elapsed.TotalSeconds : 0;
}
