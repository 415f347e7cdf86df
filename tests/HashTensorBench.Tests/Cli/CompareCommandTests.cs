using System.Text.Json;

namespace HashTensorBench.Tests.Cli;

public sealed class CompareCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "htb-compare-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void A_quick_run_writes_every_report_file_and_keeps_unavailable_figures_null()
    {
        var run = CliRun.Of("compare", "--quick", "--output", _folder, "--btc-price", "95000", "--devices", "cpu", "--gpu-rent", "3");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("devices: cpu", run.Output);
        Assert.Contains("report: ", run.Output);
        // The first table holds measured rates, not money per day.
        Assert.Contains("Measured rate, power and work per joule", run.Output);
        Assert.DoesNotContain("Hash or AI, per day", run.Output);
        foreach (string name in new[] { "report.md", "report.json", "report.csv", "throughput-hashing", "throughput-gemm", "efficiency", "usd-per-day" })
        {
            if (name.Contains('.'))
                Assert.True(new FileInfo(Path.Combine(_folder, name)).Length > 0, name);
            else
            {
                Assert.True(new FileInfo(Path.Combine(_folder, name + ".png")).Length > 1000, name);
                Assert.Contains("<svg", File.ReadAllText(Path.Combine(_folder, name + ".svg")));
            }
        }

        // report.csv: a row per figure, the CPU's sha256d rate among them.
        string[] csv = File.ReadAllLines(Path.Combine(_folder, "report.csv"));
        Assert.Equal(HashTensorBench.Cli.Report.ReportCsv.Header, csv[0]);
        Assert.Contains(csv, line => line.StartsWith("cpu,", StringComparison.Ordinal) && line.Contains(",sha256d,rate,", StringComparison.Ordinal) && line.EndsWith(",H/s,measured,", StringComparison.Ordinal));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "report.json")));
        var root = json.RootElement;
        Assert.True(root.GetProperty("quick").GetBoolean());
        var btc = root.GetProperty("inputs").EnumerateArray().Single(i => i.GetProperty("name").GetString() == "BTC price");
        Assert.Equal(95000, btc.GetProperty("value").GetDouble());
        Assert.Equal("user", btc.GetProperty("source").GetString());
        var difficulty = root.GetProperty("inputs").EnumerateArray().Single(i => i.GetProperty("name").GetString() == "difficulty");
        Assert.Equal("default", difficulty.GetProperty("source").GetString());
        Assert.Contains("2026-06-26", difficulty.GetProperty("as_of").GetString());

        var cpu = root.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "cpu");
        var workloads = cpu.GetProperty("workloads").EnumerateArray().ToArray();
        // Every element type the CPU has a kernel for; AI is priced by BF16 unless --ai-format names another.
        Assert.Equal(["sha256d", "gemm fp32 256x256x256", "gemm bf16 256x256x256"], workloads.Select(w => w.GetProperty("workload").GetString()));
        Assert.Equal("bf16", root.GetProperty("ai_format").GetString());
        Assert.Equal("gemm bf16 256x256x256", cpu.GetProperty("ai_workload").GetString());
        foreach (var w in workloads)
        {
            Assert.Equal("measured", w.GetProperty("status").GetString());
            Assert.True(w.GetProperty("rate").GetProperty("value").GetDouble() > 0);
            Assert.Equal("measured", w.GetProperty("rate").GetProperty("source").GetString());
            AssertEnergyIsHonest(w);
        }
        // A GPU's rent never prices the CPU: it has no rental market, so its AI work is priced per PFLOP/s-hour.
        Assert.False(cpu.TryGetProperty("gpu_rental", out _));
        // The rent set is listed among the inputs, so the report says it went unused: console, report.md, report.json.
        const string unused = "the GPU rent set (3 USD/h) was not used: no GPU was measured";
        Assert.Contains("warning: " + unused, run.Output);
        Assert.Contains("**warning: " + unused, File.ReadAllText(Path.Combine(_folder, "report.md")));
        Assert.StartsWith(unused, Assert.Single(root.GetProperty("unused_inputs").EnumerateArray()).GetString());
        Assert.Contains("PFLOP/s-hour", cpu.GetProperty("ai").GetProperty("revenue").GetProperty("note").GetString());
        var hashing = cpu.GetProperty("hashing");
        Assert.True(hashing.GetProperty("revenue").GetProperty("value").GetDouble() > 0);
        Assert.Contains("86,400", hashing.GetProperty("revenue").GetProperty("note").GetString());
        if (workloads[0].GetProperty("watts").GetProperty("source").GetString() == "unavailable")
        {
            // No power: electricity and profit are unknown, never zero, and the answer compares revenue.
            Assert.Equal(JsonValueKind.Null, hashing.GetProperty("profit").GetProperty("value").ValueKind);
            Assert.Equal("unavailable", hashing.GetProperty("electricity").GetProperty("source").GetString());
            Assert.Equal(JsonValueKind.Null, cpu.GetProperty("joules_per_terahash").GetProperty("value").ValueKind);
            Assert.Equal("revenue, as power was not measured", cpu.GetProperty("decision").GetProperty("basis").GetString());
        }
        else
        {
            // Power read (RAPL): profit is a figure, and the decision compares it.
            Assert.Equal(JsonValueKind.Number, hashing.GetProperty("profit").GetProperty("value").ValueKind);
            Assert.NotEqual("unavailable", hashing.GetProperty("electricity").GetProperty("source").GetString());
            Assert.Equal("profit", cpu.GetProperty("decision").GetProperty("basis").GetString());
        }
        string markdown = File.ReadAllText(Path.Combine(_folder, "report.md"));
        Assert.Contains("## The answer", markdown);
        Assert.Contains("set by the user", markdown);
        Assert.Contains("Antminer S21 XP", markdown);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task Stale_defaults_are_warned_of_on_the_console_and_in_both_reports()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // On 2026-11-27 the BTC price of 2026-06-26 is 154 days old, the fees of 2026-01-12 319; the user's difficulty has no age.
        int exitCode = await HashTensorBench.Cli.HtbApp.RunAsync(["compare", "--quick", "--devices", "cpu", "--output", _folder, "--difficulty", "1e14"],
            output, error, new FixedClock(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero)));
        Assert.True(exitCode == 0, error.ToString());
        string md = File.ReadAllText(Path.Combine(_folder, "report.md"));
        foreach (string text in new[] { output.ToString(), md })
        {
            Assert.Contains("default(s) older than 90 days: fees 319 d, ", text);
            Assert.Contains(", btc-price 154 d", text);
            Assert.DoesNotContain("difficulty 154 d", text);
        }
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "report.json")));
        var stale = json.RootElement.GetProperty("older_than_90_days").EnumerateArray()
            .Select(s => (s.GetProperty("input").GetString(), s.GetProperty("age_days").GetInt32())).ToList();
        Assert.Equal(("fees", 319), stale[0]);
        Assert.Contains(("btc-price", 154), stale);
        Assert.DoesNotContain(stale, s => s.Item1 == "difficulty");
    }

    private static void AssertEnergyIsHonest(JsonElement workload)
    {
        foreach (string figure in new[] { "joules", "watts", "per_joule" })
        {
            var f = workload.GetProperty(figure);
            if (f.GetProperty("source").GetString() == "unavailable")
            {
                Assert.Equal(JsonValueKind.Null, f.GetProperty("value").ValueKind);
                Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("reason").GetString()));
            }
            else
            {
                Assert.True(f.GetProperty("value").GetDouble() > 0);
            }
        }
    }

    [Fact]
    public async Task Ctrl_c_stops_the_run_and_still_writes_the_report()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // Ctrl+C as Program.cs delivers it: a token cancelled from another thread while the GEMM runs
        // (a dedicated thread: the workloads keep every thread-pool thread busy).
        using var stop = new CancellationTokenSource();
        var ctrlC = new Thread(() =>
        {
            Thread.Sleep(1500);
            stop.Cancel();
        });
        ctrlC.Start();
        int exitCode = await HashTensorBench.Cli.HtbApp.RunAsync(["compare", "--duration", "1", "--output", _folder], output, error, stop.Token);
        ctrlC.Join();
        Assert.True(exitCode == HashTensorBench.Cli.HtbApp.Cancelled, output.ToString() + error);
        Assert.Contains("Stopped early", output.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "report.json")));
        Assert.True(json.RootElement.GetProperty("cancelled").GetBoolean());
        var workloads = json.RootElement.GetProperty("devices")[0].GetProperty("workloads").EnumerateArray().ToArray();
        static bool WasCancelled(JsonElement w) => w.TryGetProperty("reason", out var reason) && reason.GetString() == "cancelled (Ctrl+C)";
        Assert.Contains(workloads, WasCancelled);
        Assert.All(workloads, w => Assert.True(w.GetProperty("status").GetString() == "measured" || WasCancelled(w)));
    }

    [Fact]
    public void A_config_file_sets_inputs_and_flags_override_it()
    {
        string config = Path.Combine(_folder, "inputs.json");
        Directory.CreateDirectory(_folder);
        File.WriteAllText(config, """{"btc-price": 100000, "electricity": 0.08}""");
        var run = CliRun.Of("compare", "--quick", "--output", _folder, "--config", config, "--electricity", "0.03");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "report.json")));
        var inputs = json.RootElement.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!, i => i.GetProperty("value").GetDouble());
        Assert.Equal(100000, inputs["BTC price"]);
        Assert.Equal(0.03, inputs["electricity"]);
    }

    [Fact]
    public void Ai_is_priced_by_the_format_named_which_the_cpu_measures_too()
    {
        var run = CliRun.Of("compare", "--quick", "--output", _folder, "--devices", "cpu", "--ai-format", "int8");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("AI priced by int8", run.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "report.json")));
        var cpu = json.RootElement.GetProperty("devices")[0];
        Assert.Equal("int8", json.RootElement.GetProperty("ai_format").GetString());
        Assert.Equal("gemm int8 256x256x256", cpu.GetProperty("ai_workload").GetString());
        Assert.NotEqual(JsonValueKind.Null, cpu.GetProperty("decision").ValueKind);
    }

    [Fact]
    public void Power_given_with_watts_prices_the_device_and_both_losing_money_is_said()
    {
        var run = CliRun.Of("compare", "--quick", "--output", _folder, "--devices", "cpu", "--watts", "cpu=180", "--watts", "cuda:3=300");
        Assert.Equal(0, run.ExitCode);
        // The CPU's power cannot be read here; at 180 W neither use pays for its electricity.
        Assert.Contains("cpu: both lose money at 180 W (given): hashing -", run.Output);
        Assert.Contains("warning: the power given for cuda:3 (300 W) was not used: cuda:3 was not measured", run.Output);
        string md = File.ReadAllText(Path.Combine(_folder, "report.md"));
        Assert.Contains("**both lose money** at 180 W (given)", md);
        Assert.Contains("electricity: 180.0 W (given) × 24 h", md);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "report.json")));
        var cpu = json.RootElement.GetProperty("devices").EnumerateArray().Single();
        foreach (string use in new[] { "hashing", "ai" })
        {
            var watts = cpu.GetProperty(use).GetProperty("watts");
            Assert.Equal((180.0, "given"), (watts.GetProperty("value").GetDouble(), watts.GetProperty("source").GetString()));
        }
        Assert.True(cpu.GetProperty("decision").GetProperty("both_lose_money").GetBoolean());
        Assert.Equal("profit", cpu.GetProperty("decision").GetProperty("basis").GetString());
    }

    [Theory]
    [InlineData("--ai-format must be fp32 or fp16 or bf16 or int8; got \"fp8\"", "--ai-format", "fp8")]
    [InlineData("--btc-price: the BTC price must be at least 0; got -5", "--btc-price", "-5")]
    [InlineData("--btc-price must be a number", "--btc-price", "lots")]
    [InlineData("--pool-fee: the pool fee must be at least 0 and below 1; got 2", "--pool-fee", "2")]
    [InlineData("--frobnicate", "--frobnicate")]
    [InlineData("does not exist", "--config", "/nonexistent/inputs.json")]
    [InlineData("cannot write to /proc/htb-report", "--output", "/proc/htb-report")]
    [InlineData("--watts takes DEVICE=W, W a number of watts above 0, such as cpu=180; got \"cpu\"", "--watts", "cpu")]
    [InlineData("--watts takes DEVICE=W, W a number of watts above 0, such as cpu=180; got \"cpu=-5\"", "--watts", "cpu=-5")]
    [InlineData("--watts names one device, cpu or cuda:N; got \"gpu\"", "--watts", "gpu=100")]
    [InlineData("--watts gives cpu twice", "--watts", "cpu=100", "--watts", "cpu=200")]
    public void Bad_input_gets_one_clear_line_and_a_non_zero_exit(string expected, params string[] args)
    {
        CliRun.Of(["compare", "--quick", .. args]).AssertUsageError(expected);
    }

    [Theory]
    [InlineData("""{"btc-price": "a lot"}""", "must be a number")]
    [InlineData("""{"bitcoin": 5}""", "unknown key \"bitcoin\"")]
    [InlineData("""{"btc-price": 5""", "is not valid JSON")]
    [InlineData("""[1, 2]""", "must hold one JSON object")]
    public void A_malformed_config_file_is_rejected(string content, string expected)
    {
        Directory.CreateDirectory(_folder);
        string config = Path.Combine(_folder, "inputs.json");
        File.WriteAllText(config, content);
        CliRun.Of("compare", "--quick", "--output", _folder, "--config", config).AssertUsageError(expected);
    }
}
