using System.Collections.Concurrent;
using HashTensorBench.Devices;
using HashTensorBench.Hashing;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Hashing.Cuda;
using HashTensorBench.Mining;
using HashTensorBench.Mining.Stratum;
using HashTensorBench.Platform.Cuda;

namespace HashTensorBench.Tests.Mining.Stratum;

/// <summary>
/// The client and miner end to end against <see cref="StratumTestPool"/> on 127.0.0.1, which checks every
/// share itself. Pool difficulties far below 1 make shares come in milliseconds.
/// </summary>
public class StratumMiningTests
{
    // A bound on each wait, not a duration: a wait ends when its condition holds; a loaded machine mines slowly.
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    private sealed class Run(StratumTestPool pool, INonceSearcher searcher, long chunk, long? noncesPerVersion = null,
        Func<StratumClientOptions, StratumClientOptions>? configure = null, string user = "worker")
    {
        private readonly CancellationTokenSource _stop = new();

        public ConcurrentQueue<string> Log { get; } = new();

        public ConcurrentQueue<(Share Share, ShareResult Result)> Shares { get; } = new();

        public StratumClientOptions Options { get; } =
            (configure ?? (o => o))(new StratumClientOptions(pool.Url, user) { ReconnectDelay = TimeSpan.FromMilliseconds(50) });

        public StratumMiner? Miner { get; private set; }

        public Task<MiningStatistics>? Task { get; private set; }

        public Run Start()
        {
            var client = new StratumClient(Options, line => Log.Enqueue(line));
            Miner = new StratumMiner(client, searcher, chunk, noncesPerVersion ?? NonceRange.NonceCount, line => Log.Enqueue(line),
                (share, result) => Shares.Enqueue((share, result)));
            Task = Miner.MineAsync(s_timeout, _stop.Token);
            return this;
        }

        public async Task<MiningStatistics> StopAsync()
        {
            _stop.Cancel();
            try
            {
                await Task!;
            }
            catch (OperationCanceledException)
            {
            }
            return Miner!.Statistics;
        }

        public async Task UntilAsync(Func<bool> condition, string what)
        {
            bool met = await StratumTestPool.WaitUntilAsync(() => condition() || Task!.IsCompleted, s_timeout);
            Assert.True(met && condition(), $"{what}; pool log: {string.Join(" | ", pool.Problems)}; client log: {string.Join(" | ", Log.TakeLast(15))}");
        }
    }

    private static void AssertAllChecked(StratumTestPool pool, MiningStatistics stats)
    {
        Assert.Equal(0, pool.Invalid);
        Assert.Empty(pool.Problems);
        Assert.Empty(pool.Errors);
        Assert.Equal(0, stats.FailedChecks);
        Assert.True(stats.Hashes > 0);
    }

    [Fact]
    public async Task A_line_the_test_pool_cannot_read_fails_the_test_that_owns_the_pool()
    {
        var pool = new StratumTestPool(difficulty: 1);
        using (var client = new System.Net.Sockets.TcpClient())
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, pool.Url.Port);
            await client.GetStream().WriteAsync("{not json\n"u8.ToArray());
            Assert.True(await StratumTestPool.WaitUntilAsync(() => !pool.Errors.IsEmpty, s_timeout), "the pool recorded its error");
        }
        var ex = await Assert.ThrowsAsync<AggregateException>(() => pool.DisposeAsync().AsTask());
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(Assert.Single(ex.InnerExceptions));
    }

    [Fact]
    public async Task Cpu_mines_valid_shares_with_rolled_versions()
    {
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 12));
        var run = new Run(pool, new CpuNonceSearcher(threads: 1), chunk: 1 << 16, noncesPerVersion: 1 << 16).Start();
        await run.UntilAsync(() => pool.Valid >= 8 && pool.VersionRolled >= 2, "8 valid shares, 2 with rolled versions");
        var stats = await run.StopAsync();

        AssertAllChecked(pool, stats);
        Assert.True(stats.Accepted >= 8, $"{stats}");
        Assert.Equal(0, stats.Rejected);
        Assert.Equal(stats.Accepted * (1.0 / (1 << 12)), stats.AcceptedDifficulty, 9);
        Assert.True(stats.EffectiveHashesPerSecond > 0);
        Assert.All(run.Shares, s => Assert.False(s.Share.IsBlock));
        // mining.configure asked for BIP 320's bits; submits carry the version bits (6 parameters).
        Assert.Contains(pool.Received, line => line.Contains("\"mining.configure\"", StringComparison.Ordinal) && line.Contains("1fffe000", StringComparison.Ordinal));
        Assert.Contains(pool.Received, line => line.Contains("\"mining.submit\"", StringComparison.Ordinal) && line.Split(',').Length == 8);
    }

    [Fact]
    public async Task The_GPU_kernel_on_ILGPUs_CPU_accelerator_mines_valid_shares()
    {
        using var searcher = IlgpuNonceSearcher.ForCpuAccelerator();
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 20));
        var run = new Run(pool, searcher, chunk: 1 << 12).Start();
        await run.UntilAsync(() => pool.Valid >= 3, "3 valid shares from the GPU kernel");
        var stats = await run.StopAsync();

        AssertAllChecked(pool, stats);
        Assert.Equal("ilgpu-cpu", stats.Device);
        Assert.True(stats.Accepted >= 3, $"{stats}");
    }

    [SkippableFact]
    public async Task Every_CUDA_device_mines_valid_shares()
    {
        var discovery = CudaDiscovery.Current;
        Skip.If(discovery.Devices.Count == 0, $"No CUDA device: {discovery.Reason}.");
        var searcher = NonceSearchers.Create("gpu");
        using var owned = searcher as IDisposable;
        // A GPU hashes billions a second: difficulty 1/16 still brings shares at once, and chunks grow to 2^32.
        await using var pool = new StratumTestPool(difficulty: 1.0 / 16);
        var run = new Run(pool, searcher, chunk: 1L << 32).Start();
        await run.UntilAsync(() => pool.Valid >= 5 && pool.VersionRolled >= 1, "5 valid shares from the GPUs, one with a rolled version");
        var stats = await run.StopAsync();

        AssertAllChecked(pool, stats);
        Assert.True(stats.Accepted >= 5, $"{stats}");
    }

    [Fact]
    public async Task A_clean_job_cancels_the_search_at_once()
    {
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 12));
        // The first job's search never ends by itself (as a 2^32-nonce chunk would not for minutes): only
        // cancellation can move the miner to the clean job, so its cancellation is the event waited on, with no time limit
        // of its own (a busy machine may take seconds to schedule it; a miner that waited for the chunk would never get there).
        var searcher = new EndlessFirstJobSearcher(new CpuNonceSearcher(threads: 1));
        var run = new Run(pool, searcher, chunk: 1 << 16).Start();
        await run.UntilAsync(() => searcher.Blocked.Task.IsCompleted, "the first job's search under way");
        await pool.NewJobAsync(clean: true);
        await run.UntilAsync(() => searcher.Cancelled.Task.IsCompleted, "the first job's search cancelled");
        await run.UntilAsync(() => pool.ValidJobs.Contains("j2"), "a share of the clean job");
        var stats = await run.StopAsync();

        AssertAllChecked(pool, stats);
        Assert.DoesNotContain("j1", pool.ValidJobs);
        Assert.Contains(run.Log, line => line.Contains("job j2 (clean)", StringComparison.Ordinal));
    }

    // Searches as the inner searcher does, except that the first header it sees blocks until cancelled.
    private sealed class EndlessFirstJobSearcher(INonceSearcher inner) : INonceSearcher
    {
        // Holds no device.
        public void Dispose()
        {
        }

        private uint? _firstTime;

        public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => inner.Name;

        public NonceSearchResult Search(in HashTensorBench.Bitcoin.BlockHeader header, HashTensorBench.Bitcoin.Target target, NonceRange range,
            IProgress<long>? progress = null, CancellationToken cancellationToken = default)
        {
            _firstTime ??= header.Time;
            if (header.Time != _firstTime)
                return inner.Search(header, target, range, progress, cancellationToken);
            Blocked.TrySetResult();
            try
            {
                Task.Delay(Timeout.Infinite, cancellationToken).Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                Cancelled.TrySetResult();
            }
            throw new OperationCanceledException(cancellationToken);
        }
    }

    [Fact]
    public async Task A_dropped_connection_is_made_again_with_the_new_extranonce1()
    {
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 12));
        var run = new Run(pool, new CpuNonceSearcher(threads: 1), chunk: 1 << 16).Start();
        await run.UntilAsync(() => pool.Valid >= 2, "shares before the drop");
        pool.Disconnect();
        int before = pool.Valid;
        await run.UntilAsync(() => pool.Connections >= 2 && pool.Valid >= before + 3, "shares after reconnecting");
        var stats = await run.StopAsync();

        // The pool rebuilds each share with the extranonce1 of the connection it came on: none fails.
        AssertAllChecked(pool, stats);
        Assert.Equal(2, pool.Extranonces.Distinct().Count());
        Assert.Contains(run.Log, line => line.StartsWith("reconnecting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pool_that_resumes_the_subscription_keeps_the_extranonce1_across_the_reconnect()
    {
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 12)) { ResumeSessions = true };
        var run = new Run(pool, new CpuNonceSearcher(threads: 1), chunk: 1 << 16).Start();
        await run.UntilAsync(() => pool.Valid >= 2, "shares before the drop");
        pool.Disconnect();
        int before = pool.Valid;
        await run.UntilAsync(() => pool.Connections >= 2 && pool.Valid >= before + 2, "shares after reconnecting");
        var stats = await run.StopAsync();

        AssertAllChecked(pool, stats);
        Assert.Equal(2, pool.Extranonces.Count);
        Assert.Single(pool.Extranonces.Distinct());
        Assert.Contains(pool.Received, line => line.Contains("\"mining.subscribe\",\"params\":[\"htb/0.1\",\"n1\"]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Malformed_lines_unknown_methods_and_bad_jobs_are_logged_and_survived()
    {
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 12));
        var run = new Run(pool, new CpuNonceSearcher(threads: 1), chunk: 1 << 16).Start();
        await run.UntilAsync(() => pool.Valid >= 1, "a first share");
        await pool.SendAsync("{this is not json");
        await pool.SendAsync("[1,2,3]");
        await pool.SendAsync("{\"id\":null,\"method\":\"mining.bogus\",\"params\":[]}");
        await pool.SendAsync("{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[0]}");
        await pool.SendAsync("{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[-4]}");
        await pool.SendAsync("{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"bad\",\"00\",\"zz\",\"\",[],\"20000000\",\"1d00ffff\",\"00000000\",true]}");
        await pool.SendAsync("{\"id\":9999,\"result\":true,\"error\":null}");
        int before = pool.Valid;
        await run.UntilAsync(() => pool.Valid >= before + 3, "shares after the bad lines");
        var stats = await run.StopAsync();

        AssertAllChecked(pool, stats);
        Assert.Equal(1, pool.Connections);
        Assert.Contains(run.Log, line => line.StartsWith("malformed line from the pool skipped", StringComparison.Ordinal));
        Assert.Contains(run.Log, line => line.Contains("not a JSON object", StringComparison.Ordinal));
        Assert.Contains(run.Log, line => line.Contains("unknown method \"mining.bogus\"", StringComparison.Ordinal));
        Assert.Equal(2, run.Log.Count(line => line.StartsWith("difficulty skipped", StringComparison.Ordinal)));
        Assert.Contains(run.Log, line => line.StartsWith("job skipped: Stratum: previous hash is 32 bytes", StringComparison.Ordinal)
            || line.StartsWith("job skipped: mining.notify: the previous hash", StringComparison.Ordinal));
        // No share of the bad job was ever sent.
        Assert.DoesNotContain(pool.Received, line => line.Contains("\"bad\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rejected_share_is_counted_with_the_pools_reason()
    {
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 12)) { RejectValidShare = n => n == 2 };
        var run = new Run(pool, new CpuNonceSearcher(threads: 1), chunk: 1 << 16).Start();
        await run.UntilAsync(() => pool.Valid >= 4 && run.Shares.Count >= 4, "4 shares");
        var stats = await run.StopAsync();

        AssertAllChecked(pool, stats);
        Assert.Equal(1, pool.RejectedOnPurpose);
        Assert.True(stats.Rejected >= 1);
        var rejected = Assert.Single(run.Shares, s => s.Result.Status == ShareStatus.Rejected && s.Result.Reason!.Contains("Rejected for the test", StringComparison.Ordinal));
        Assert.Contains("(20)", rejected.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_share_that_meets_the_network_target_is_reported_as_a_block()
    {
        // nBits 0x207fffff (regtest's limit): about half of all hashes are blocks.
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 12), bits: 0x207fffff);
        var run = new Run(pool, new CpuNonceSearcher(threads: 1), chunk: 1 << 16).Start();
        await run.UntilAsync(() => pool.Valid >= 2, "2 shares");
        var stats = await run.StopAsync();

        AssertAllChecked(pool, stats);
        Assert.True(stats.Blocks >= 1, $"{stats}");
        Assert.Contains(run.Log, line => line.StartsWith("block found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pool_without_version_rolling_gets_shares_of_the_jobs_version()
    {
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 12), extranonce2Size: 8, versionMask: null);
        var run = new Run(pool, new CpuNonceSearcher(threads: 1), chunk: 1 << 16, noncesPerVersion: 1 << 16).Start();
        await run.UntilAsync(() => pool.Valid >= 3, "3 shares");
        var stats = await run.StopAsync();

        AssertAllChecked(pool, stats);
        Assert.Equal(0, pool.VersionRolled);
        Assert.All(run.Shares, s => Assert.Equal(0x20000000, s.Share.Version));
        Assert.Contains(run.Log, line => line.Contains("does not roll versions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_silent_pool_and_an_oversized_line_make_the_client_connect_again()
    {
        // Difficulty 2^20: no share in this test's lifetime, so the pool says nothing after the job.
        await using var pool = new StratumTestPool(difficulty: 1 << 20);
        var run = new Run(pool, new CpuNonceSearcher(threads: 1), chunk: 1 << 16,
            configure: o => o with { ReadTimeout = TimeSpan.FromMilliseconds(400) }).Start();
        await run.UntilAsync(() => pool.Connections >= 2, "a reconnection after the read timeout");
        var stats = await run.StopAsync();
        AssertAllChecked(pool, stats);
        Assert.Contains(run.Log, line => line.Contains("nothing from the pool in", StringComparison.Ordinal));

        await using var talkative = new StratumTestPool(difficulty: 1 << 20);
        run = new Run(talkative, new CpuNonceSearcher(threads: 1), chunk: 1 << 16, configure: o => o with { MaxLineBytes = 4096 }).Start();
        await run.UntilAsync(() => run.Log.Any(l => l.StartsWith("job j1", StringComparison.Ordinal)), "a session");
        await talkative.SendAsync("{\"id\":null,\"method\":\"client.show_message\",\"params\":[\"" + new string('x', 5000) + "\"]}");
        await run.UntilAsync(() => talkative.Connections >= 2, "a reconnection after the long line");
        stats = await run.StopAsync();
        AssertAllChecked(talkative, stats);
        Assert.Contains(run.Log, line => line.Contains("longer than 4096 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mines_over_TLS_and_refuses_a_certificate_it_cannot_trust()
    {
        using var certificate = StratumTestPool.SelfSignedCertificate();
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 16), tlsCertificate: certificate);
        Assert.StartsWith("stratum+ssl://", pool.Url.ToString(), StringComparison.Ordinal);
        string thumbprint = certificate.Thumbprint;
        var run = new Run(pool, new CpuNonceSearcher(threads: 1), chunk: 1 << 16,
            configure: o => o with { CertificateValidation = (_, presented, _, _) => presented?.GetCertHashString() == thumbprint }).Start();
        await run.UntilAsync(() => pool.Valid >= 2, "2 shares over TLS");
        var stats = await run.StopAsync();
        AssertAllChecked(pool, stats);

        // The platform's validation does not trust a self-signed certificate: the session never starts.
        var untrusting = new StratumMiner(new StratumClient(new StratumClientOptions(pool.Url, "worker")), new CpuNonceSearcher(threads: 1), 1 << 16);
        var ex = await Assert.ThrowsAsync<StratumException>(() => untrusting.MineAsync(s_timeout));
        Assert.StartsWith($"the pool {pool.Url} did not start a session", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_device_ends_mining_with_its_own_error_and_closes_the_session()
    {
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 12));
        var miner = new StratumMiner(new StratumClient(new StratumClientOptions(pool.Url, "worker")), new FailingSearcher(), 1 << 16);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => miner.MineAsync(s_timeout));
        Assert.Equal("the device fell off the bus", ex.Message);
        Assert.True(await StratumTestPool.WaitUntilAsync(() => pool.ActiveConnections == 0, TimeSpan.FromSeconds(5)), "the session was closed");
    }

    private sealed class FailingSearcher : INonceSearcher
    {
        // Holds no device.
        public void Dispose()
        {
        }

        public string Name => "failing";

        public NonceSearchResult Search(in HashTensorBench.Bitcoin.BlockHeader header, HashTensorBench.Bitcoin.Target target, NonceRange range,
            IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the device fell off the bus");
    }

    [Fact]
    public async Task An_unreachable_pool_or_a_refused_worker_ends_the_session_with_one_reason()
    {
        // A port bound but never listening: connecting is refused, and no test running beside this one can take it.
        using var holder = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        holder.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        int port = ((System.Net.IPEndPoint)holder.LocalEndPoint!).Port;
        var client = new StratumClient(new StratumClientOptions(new StratumUrl("127.0.0.1", port, false), "worker"));
        var miner = new StratumMiner(client, new CpuNonceSearcher(threads: 1), 1 << 16);
        var ex = await Assert.ThrowsAsync<StratumException>(() => miner.MineAsync(s_timeout));
        Assert.StartsWith($"cannot reach the pool stratum+tcp://127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);

        await using var pool = new StratumTestPool(difficulty: 1);
        var refused = new StratumMiner(new StratumClient(new StratumClientOptions(pool.Url, "refused")), new CpuNonceSearcher(threads: 1), 1 << 16);
        ex = await Assert.ThrowsAsync<StratumException>(() => refused.MineAsync(s_timeout));
        Assert.Contains("refused worker \"refused\": Unauthorized worker (24)", ex.Message, StringComparison.Ordinal);
    }

    // A listener on 127.0.0.1 that accepts connections and answers each with `reply` (or nothing), keeping count.
    private sealed class FakePool : IAsyncDisposable
    {
        private readonly System.Net.Sockets.TcpListener _listener = new(System.Net.IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<System.Net.Sockets.TcpClient> _clients = [];
        private readonly Task _accepting;
        private int _connections;

        public FakePool(string? reply)
        {
            _listener.Start();
            _accepting = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    lock (_clients)
                        _clients.Add(client);
                    if (reply is not null)
                    {
                        await client.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(reply), _stop.Token);
                        client.Close();
                    }
                }
            });
        }

        public int Connections => Volatile.Read(ref _connections);

        public StratumUrl Url => new("127.0.0.1", ((System.Net.IPEndPoint)_listener.LocalEndpoint).Port, false);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _accepting;
            }
            catch (OperationCanceledException)
            {
            }
            lock (_clients)
            {
                foreach (var client in _clients)
                    client.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_listener_that_never_answers_is_tried_again_with_back_off_then_given_up()
    {
        await using var silent = new FakePool(reply: null);
        var options = new StratumClientOptions(silent.Url, "worker")
        {
            HandshakeTimeout = TimeSpan.FromMilliseconds(300),
            StartRounds = 2,
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
        };
        var log = new ConcurrentQueue<string>();
        var miner = new StratumMiner(new StratumClient(options, log.Enqueue), new CpuNonceSearcher(threads: 1), 1 << 16);
        var ex = await Assert.ThrowsAsync<StratumException>(() => miner.MineAsync(s_timeout));
        Assert.Equal($"the pool {silent.Url} did not start a session: no subscription and authorization in 0.3 s", ex.Message);
        Assert.Equal(2, silent.Connections);
        Assert.Contains(log, line => line.StartsWith("reconnecting in 0.1 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_http_server_is_not_taken_for_a_pool()
    {
        await using var http = new FakePool("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        var options = new StratumClientOptions(http.Url, "worker") { StartRounds = 2, ReconnectDelay = TimeSpan.FromMilliseconds(50) };
        var miner = new StratumMiner(new StratumClient(options), new CpuNonceSearcher(threads: 1), 1 << 16);
        var ex = await Assert.ThrowsAsync<StratumException>(() => miner.MineAsync(s_timeout));
        // It answers and hangs up: the client reads a close, or fails to write its subscription, before any session.
        Assert.Matches($"^the pool {System.Text.RegularExpressions.Regex.Escape(http.Url.ToString())} (closed the connection before it subscribed|did not start a session: .+)$", ex.Message);
        Assert.Equal(2, http.Connections);
    }

    [Fact]
    public async Task Fails_over_to_the_next_pool_in_order_and_names_every_reason_when_none_answers()
    {
        await using var silent = new FakePool(reply: null);
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 16));
        var run = new Run(pool, new CpuNonceSearcher(threads: 1), chunk: 1 << 16,
            configure: o => new StratumClientOptions(silent.Url, "worker")
            {
                Failover = [pool.Url],
                HandshakeTimeout = TimeSpan.FromMilliseconds(300),
                ReconnectDelay = TimeSpan.FromMilliseconds(50),
            }).Start();
        await run.UntilAsync(() => pool.Valid >= 2, "2 shares on the second pool");
        var stats = await run.StopAsync();
        AssertAllChecked(pool, stats);
        Assert.Equal(1, silent.Connections);
        Assert.Contains(run.Log, line => line == $"failing over to {pool.Url}.");

        await using var http = new FakePool("HTTP/1.1 404 Not Found\r\n\r\n");
        var options = new StratumClientOptions(silent.Url, "worker")
        {
            Failover = [http.Url],
            HandshakeTimeout = TimeSpan.FromMilliseconds(200),
            StartRounds = 1,
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
        };
        var none = new StratumMiner(new StratumClient(options), new CpuNonceSearcher(threads: 1), 1 << 16);
        var ex = await Assert.ThrowsAsync<StratumException>(() => none.MineAsync(s_timeout));
        Assert.StartsWith($"no pool started a session: the pool {silent.Url} did not start a session: no subscription and authorization in 0.2 s; "
            + $"the pool {http.Url} ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_reconnect_moves_the_worker_to_the_pool_it_names()
    {
        await using var first = new StratumTestPool(difficulty: 1.0 / (1 << 16));
        await using var second = new StratumTestPool(difficulty: 1.0 / (1 << 16));
        var run = new Run(first, new CpuNonceSearcher(threads: 1), chunk: 1 << 16).Start();
        await run.UntilAsync(() => first.Valid >= 1, "a share on the first pool");
        await first.SendAsync($"{{\"id\":null,\"method\":\"client.reconnect\",\"params\":[\"127.0.0.1\",{second.Url.Port},0]}}");
        await run.UntilAsync(() => second.Valid >= 2, "2 shares on the pool client.reconnect named");
        var stats = await run.StopAsync();
        AssertAllChecked(second, stats);
        Assert.Contains(run.Log, line => line == $"the pool moves this worker to {second.Url} in 0 s.");
        Assert.Equal(1, first.Connections);
    }

    [Fact]
    public async Task A_job_whose_extranonce2s_are_spent_rolls_ntime_and_never_repeats_a_share()
    {
        // No extranonce2 to roll and no version rolling: after 2^12 nonces the job's space is spent, so nTime moves on.
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 20), extranonce2Size: 0, versionMask: null);
        var run = new Run(pool, new CpuNonceSearcher(threads: 1), chunk: 1 << 12, noncesPerVersion: 1 << 12).Start();
        await run.UntilAsync(() => pool.TimeRolled >= 3, "3 shares with a rolled nTime");
        var stats = await run.StopAsync();
        AssertAllChecked(pool, stats);
        Assert.Equal(0, pool.Duplicate);
        Assert.All(run.Shares, s => Assert.InRange(s.Share.Time - StratumTestPool.TimeOf(s.Share.JobId), 0u, StratumMiner.MaxTimeRoll));
    }

    [Fact]
    public async Task Set_extranonce_moves_the_shares_to_the_new_extranonce1_and_extranonce2_size()
    {
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 12));
        var run = new Run(pool, new CpuNonceSearcher(threads: 1), chunk: 1 << 12, noncesPerVersion: 1 << 12).Start();
        await run.UntilAsync(() => pool.Valid >= 1, "a share with the subscription's extranonce");
        await pool.SetExtranonceAsync(Convert.FromHexString("feedbeef01"), extranonce2Size: 3);
        await run.UntilAsync(() => pool.ValidShares.Count(s => s.JobId == "j2") >= 3, "3 shares of the job after mining.set_extranonce");
        var stats = await run.StopAsync();

        AssertAllChecked(pool, stats);
        // The pool rebuilt each share of the new job with the new extranonce1 and found it meets the target.
        Assert.All(pool.ValidShares.Where(s => s.JobId == "j2"), s => Assert.Equal("feedbeef01", s.Extranonce1));
        Assert.All(run.Shares.Where(s => s.Share.JobId == "j2"), s => Assert.Equal(3, s.Share.Extranonce2.Length));
        Assert.Contains(run.Log, line => line.StartsWith("new extranonce: work ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Set_version_mask_rolls_only_the_bits_of_the_new_mask()
    {
        // BIP 310's configure grants bits 13-14; set_version_mask then grants bits 15-16 instead.
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 12), versionMask: 0x00006000);
        var run = new Run(pool, new CpuNonceSearcher(threads: 1), chunk: 1 << 12, noncesPerVersion: 1 << 12).Start();
        await run.UntilAsync(() => pool.Valid >= 1, "a share under the first mask");
        await pool.SetVersionMaskAsync(0x00018000);
        await run.UntilAsync(() => run.Shares.Count(s => s.Share.JobId == "j2" && s.Share.Version != 0x20000000) >= 2,
            "2 shares of the job after mining.set_version_mask with rolled versions");
        var stats = await run.StopAsync();

        AssertAllChecked(pool, stats);
        var after = run.Shares.Where(s => s.Share.JobId == "j2").ToArray();
        Assert.All(after, s => Assert.Equal(0, (s.Share.Version ^ 0x20000000) & ~0x00018000));
        Assert.Contains(run.Log, line => line.StartsWith("version mask 00018000: work ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Client_get_version_is_answered_with_the_user_agent()
    {
        await using var pool = new StratumTestPool(difficulty: 1 << 20);
        var run = new Run(pool, new CpuNonceSearcher(threads: 1), chunk: 1 << 12).Start();
        await run.UntilAsync(() => run.Log.Any(l => l.StartsWith("job j1", StringComparison.Ordinal)), "a session");
        await pool.SendAsync("{\"id\":77,\"method\":\"client.get_version\",\"params\":[]}");
        await run.UntilAsync(() => !pool.Answers.IsEmpty, "an answer to client.get_version");
        var stats = await run.StopAsync();

        AssertAllChecked(pool, stats);
        using var answer = System.Text.Json.JsonDocument.Parse(Assert.Single(pool.Answers));
        Assert.Equal(77, answer.RootElement.GetProperty("id").GetInt32());
        Assert.Equal("htb/0.1", answer.RootElement.GetProperty("result").GetString());
        Assert.Equal(run.Options.UserAgent, answer.RootElement.GetProperty("result").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.RootElement.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Extranonce2_wraps_around_within_its_size_and_rolls_ntime_on_each_wrap()
    {
        // A 1-byte extranonce2 has 256 values of 256 nonces each (no version rolling): after 65,536 hashes it wraps to 00 with
        // nTime + 1. At difficulty 2^-20 one hash in 4,096 is a share: about 16 a wrap.
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 20), extranonce2Size: 1, versionMask: null);
        var run = new Run(pool, new CpuNonceSearcher(threads: 1), chunk: 1 << 8, noncesPerVersion: 1 << 8).Start();
        await run.UntilAsync(() => run.Shares.Any(s => s.Share.Time - StratumTestPool.TimeOf(s.Share.JobId) >= 2), "a share two wraps on");
        var stats = await run.StopAsync();

        AssertAllChecked(pool, stats);
        Assert.Equal(0, pool.Duplicate);
        Assert.All(run.Shares, s => Assert.Equal(1, s.Share.Extranonce2.Length));
        // Each wrap searches the same extranonce2 values again, at a later nTime.
        var byRoll = run.Shares.GroupBy(s => s.Share.Time - StratumTestPool.TimeOf(s.Share.JobId)).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byRoll.ContainsKey(0) && byRoll.ContainsKey(1), string.Join(", ", byRoll));
        var work = new MiningWork(new StratumJob("j", default, [], [], [], 0x20000000, 0x1d00ffff, 0, true), new byte[4], 1, 0, 1, 1, 1, default);
        Assert.Equal(256UL, work.Extranonce2Count);
        Assert.Equal(new byte[] { 0xff }, work.Extranonce2(255));
        Assert.Throws<ArgumentOutOfRangeException>(() => work.Extranonce2(256));
    }
}
