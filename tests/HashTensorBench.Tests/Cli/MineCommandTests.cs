using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using HashTensorBench.Cli;
using HashTensorBench.Tests.Energy;
using HashTensorBench.Tests.Mining.Stratum;

namespace HashTensorBench.Tests.Cli;

/// <summary><c>htb mine</c>: refusals, and a short session against the in-process pool.</summary>
public class MineCommandTests
{
    [Theory]
    [InlineData("stratum+tcp://pool.example", "has no port")]
    [InlineData("http://pool.example:3333", "Unknown pool URL scheme")]
    [InlineData("stratum+tcp://pool.example:70000", "a port is a number from 1 to 65535")]
    public void Bad_pool_urls_get_one_line_and_exit_2(string url, string expected)
    {
        CliRun.Of("mine", "--pool", url, "--user", "w", "--device", "cpu").AssertUsageError(expected);
    }

    [Fact]
    public void Missing_user_and_negative_seconds_are_refused()
    {
        CliRun.Of("mine", "--pool", "stratum+tcp://127.0.0.1:3333", "--device", "cpu").AssertUsageError("--user");
        CliRun.Of("mine", "--pool", "stratum+tcp://127.0.0.1:3333", "--user", "w", "--seconds", "-1").AssertUsageError("--seconds");
    }

    [Fact]
    public void An_unreachable_pool_gets_one_line_and_exit_2()
    {
        // A port bound but never listening: connecting is refused, and no test running beside this one can take the
        // port meanwhile (a port found free and let go was once taken by another test's server before mine connected).
        using var holder = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        holder.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        int port = ((System.Net.IPEndPoint)holder.LocalEndPoint!).Port;
        var run = CliRun.Of("mine", "--pool", $"stratum+tcp://127.0.0.1:{port}", "--user", "w", "--device", "cpu", "--seconds", "5");
        Assert.Equal(HtbApp.UsageError, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains($"htb: cannot reach the pool stratum+tcp://127.0.0.1:{port}", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task Mines_accepted_shares_on_the_cpu_until_ctrl_c_and_prints_the_rates()
    {
        // Difficulty 2^-16: one hash in 65,536 is a share.
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 16));
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var ctrlC = new CancellationTokenSource();
        // Awaited, not CliRun.Of's blocking wait: a blocked thread-pool thread would starve the CPU search's threads.
        var mining = HtbApp.RunAsync(["mine", "--pool", pool.Url.ToString(), "--user", "w", "--device", "cpu", "--seconds", "60"], output, error, ctrlC.Token);
        bool mined = await StratumTestPool.WaitUntilAsync(() => pool.Valid >= 2 || mining.IsCompleted, TimeSpan.FromSeconds(30));
        await ctrlC.CancelAsync();
        int exitCode = await mining;
        string text = output.ToString(), errors = error.ToString();

        Assert.True(mined && pool.Valid >= 2, text + errors);
        Assert.Equal(HtbApp.Cancelled, exitCode);
        Assert.Equal(0, pool.Invalid);
        Assert.Contains("share accepted", text);
        Assert.Matches(@"hashes     [\d,]+ in \d+\.\d s: [\d.]+ [kMG]?H/s", text);
        Assert.Matches(@"shares     [1-9]\d* accepted, 0 rejected", text);
        Assert.Matches(@"effective  [\d.]+ [kMG]?H/s from accepted shares", text);
        Assert.Contains("htb: mining on cpu/", errors);
        Assert.EndsWith("htb: cancelled.\n", errors.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("   at ", errors);
    }

    [Fact]
    public async Task Seconds_ends_the_session_with_exit_0_and_the_summary()
    {
        // --seconds counts on the app's clock, here moved by hand once a share proves the session mines: a slow start on a
        // busy machine cannot spend the second before the first job.
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 16));
        var time = new ManualTime();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var mining = HtbApp.RunAsync(["mine", "--pool", pool.Url.ToString(), "--user", "w", "--device", "cpu", "--seconds", "1"], output, error, time);
        bool mined = await StratumTestPool.WaitUntilAsync(() => pool.Valid >= 1 || mining.IsCompleted, TimeSpan.FromSeconds(90));
        Assert.False(mining.IsCompleted, "mining ended before its second had passed: " + error);
        time.Advance(TimeSpan.FromSeconds(1));
        int exitCode = await mining;

        Assert.True(mined && exitCode == 0, error.ToString());
        Assert.Matches(@"shares     [1-9]\d* accepted, 0 rejected", output.ToString());
        Assert.Equal(1, pool.Connections);
    }

    [Fact]
    public async Task A_pool_given_twice_is_failed_over_to_in_order()
    {
        var dead = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        dead.Start();
        int port = ((System.Net.IPEndPoint)dead.LocalEndpoint).Port;
        dead.Stop();
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 16));
        var time = new ManualTime();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var mining = HtbApp.RunAsync(["mine", "--pool", $"stratum+tcp://127.0.0.1:{port}", "--pool", pool.Url.ToString(), "--user", "w",
            "--device", "cpu", "--seconds", "2"], output, error, time);
        // The seconds pass once the second pool has a share, however long the failover took.
        bool mined = await StratumTestPool.WaitUntilAsync(() => pool.Valid >= 1 || mining.IsCompleted, TimeSpan.FromSeconds(90));
        time.Advance(TimeSpan.FromSeconds(2));
        int exitCode = await mining;

        Assert.True(mined && exitCode == 0, error.ToString());
        Assert.Contains($"htb: mining on cpu/", error.ToString());
        Assert.Contains($"(then {pool.Url})", error.ToString());
        Assert.Contains($"htb: pool: failing over to {pool.Url}.", error.ToString());
        Assert.Equal(1, pool.Connections);
    }

    [Fact]
    public void A_pool_that_never_sends_a_job_exits_2_saying_so()
    {
        // The listener's backlog completes the connection; nothing ever answers.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            var run = CliRun.Of("mine", "--pool", $"stratum+tcp://127.0.0.1:{port}", "--user", "w", "--device", "cpu", "--seconds", "2");
            Assert.Equal(HtbApp.UsageError, run.ExitCode);
            Assert.Contains("htb: no job came from the pool in 2 s", run.Error);
            Assert.DoesNotContain("   at ", run.Error);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Json_prints_one_event_a_line_and_the_stats_endpoint_agrees_with_the_pool()
    {
        await using var pool = new StratumTestPool(difficulty: 1.0 / (1 << 16));
        var time = new ManualTime();
        using var output = new LockedStringWriter();
        using var error = new LockedStringWriter();
        var mining = HtbApp.RunAsync(["mine", "--pool", pool.Url.ToString(), "--user", "w", "--device", "cpu", "--seconds", "60",
            "--json", "--api-bind", "0"], output, error, time);
        bool mined = await StratumTestPool.WaitUntilAsync(() => pool.Valid >= 2 || mining.IsCompleted, TimeSpan.FromSeconds(90));
        Assert.True(mined && !mining.IsCompleted, error.ToString());
        // Port 0 took a free port, which the start line names.
        var bound = Regex.Match(error.ToString(), @"htb: stats at http://127\.0\.0\.1:(\d+)/stats\.");
        Assert.True(bound.Success, error.ToString());
        int port = int.Parse(bound.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(0, port);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using (var stats = JsonDocument.Parse(await http.GetStringAsync("/stats")))
        {
            var root = stats.RootElement;
            int counted = pool.Valid;
            Assert.Equal(pool.Url.ToString(), root.GetProperty("pool").GetString());
            Assert.False(string.IsNullOrEmpty(root.GetProperty("job").GetString()));
            Assert.StartsWith("cpu/", root.GetProperty("device").GetString());
            Assert.True(root.GetProperty("hashes").GetInt64() > 0 && root.GetProperty("hashrate").GetDouble() > 0, stats.RootElement.ToString());
            // The pool counts a share before it answers: the miner can be behind it, never ahead.
            Assert.InRange(root.GetProperty("accepted").GetInt64(), 0, counted);
            Assert.Equal(0, root.GetProperty("rejected").GetInt64());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/config")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync("/stats", new StringContent("{}"))).StatusCode);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await StratumTestPool.WaitUntilAsync(() => output.ToString().Contains("\"event\":\"rate\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30)),
            output.ToString());
        time.Advance(TimeSpan.FromSeconds(50));
        int exitCode = await mining;
        Assert.True(exitCode == 0, error.ToString());

        var events = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(events, e => Assert.Contains(e.GetProperty("event").GetString(), new[] { "job", "share", "rate", "summary" }));
        var jobs = events.Where(e => e.GetProperty("event").GetString() == "job").Select(e => e.GetProperty("job").GetString()).ToHashSet();
        var accepted = events.Where(e => e.GetProperty("event").GetString() == "share" && e.GetProperty("status").GetString() == "accepted").ToList();
        var summary = Assert.Single(events, e => e.GetProperty("event").GetString() == "summary");
        Assert.Equal("summary", events[^1].GetProperty("event").GetString());
        Assert.NotEmpty(jobs);
        Assert.All(accepted, share => Assert.Contains(share.GetProperty("job").GetString(), jobs));
        Assert.Equal(pool.Valid, accepted.Count);
        Assert.Equal(pool.Valid, summary.GetProperty("accepted").GetInt64());
        Assert.Equal(0, summary.GetProperty("rejected").GetInt64());
        Assert.True(summary.GetProperty("hashrate").GetDouble() > 0);
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "rate" && e.GetProperty("hashes").GetInt64() > 0);
        // The endpoint ends with the run.
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync("/stats"));
    }

    [Theory]
    [InlineData("pool.example:4048", "is not an IP address")]
    [InlineData("127.0.0.1:70000", "a port from 0 to 65535")]
    [InlineData("::1:4048", "is not an IP address (IPv6 in brackets)")]
    [InlineData("", "is not [HOST:]PORT")]
    public void A_bad_api_bind_gets_one_line_and_exit_2(string bind, string expected)
    {
        var run = CliRun.Of("mine", "--pool", "stratum+tcp://127.0.0.1:3333", "--user", "w", "--device", "cpu", "--api-bind", bind);
        run.AssertUsageError(expected);
        Assert.StartsWith("htb: --api-bind: ", run.Error);
    }

    [Fact]
    public void An_api_bind_port_in_use_gets_one_line_and_exit_2()
    {
        var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            int port = ((IPEndPoint)taken.LocalEndpoint).Port;
            // The endpoint starts before the pool is dialled: nothing listens at the pool's port.
            CliRun.Of("mine", "--pool", "stratum+tcp://127.0.0.1:3333", "--user", "w", "--device", "cpu", "--api-bind", $"127.0.0.1:{port}")
                .AssertUsageError($"--api-bind: cannot listen on 127.0.0.1:{port}");
        }
        finally
        {
            taken.Stop();
        }
    }
}
