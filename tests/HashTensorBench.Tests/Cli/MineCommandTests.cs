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
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
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
}
