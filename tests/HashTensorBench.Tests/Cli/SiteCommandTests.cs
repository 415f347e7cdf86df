using System.Text.Json;
using HashTensorBench.Cli;

namespace HashTensorBench.Tests.Cli;

public sealed class SiteCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "htb-site-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static CliRun At(DateTimeOffset now, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = HtbApp.RunAsync(args, output, error, new FixedClock(now)).GetAwaiter().GetResult();
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    private static readonly DateTimeOffset s_today = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void With_defaults_it_prints_the_per_mw_table_and_writes_the_report()
    {
        var run = At(s_today, "site", "--output", _folder);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        // The ASIC revenue of the hand computation (SiteAnalysisTests), and the inputs it uses, printed.
        Assert.Contains("749,655", run.Output);
        Assert.Contains("Antminer S21 XP (270 TH/s, 13.5 J/TH)", run.Output);
        Assert.Contains("60000 USD", run.Output);
        Assert.Contains("mining matches GPU cloud at a BTC price of", run.Output);
        // The defaults' age: the BTC price of 2026-06-26 is 154 days old.
        Assert.Contains("warning: ", run.Output);
        Assert.Contains("btc-price 154 d", run.Output);
        foreach (string chart in new[] { "site-profit-vs-btc-price", "site-profit-vs-rent" })
        {
            Assert.True(new FileInfo(Path.Combine(_folder, chart + ".png")).Length > 10_000, chart);
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(_folder, chart + ".svg")));
        }
        string md = File.ReadAllText(Path.Combine(_folder, "site.md"));
        Assert.Contains("| revenue | 749,655 |", md);
        Assert.Contains("## Profit per MW per year against the BTC price", md);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "site.json")));
        var root = json.RootElement;
        Assert.Equal("htb site", root.GetProperty("tool").GetString());
        var mining = root.GetProperty("scenarios").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "mining");
        Assert.Equal(749_655, mining.GetProperty("revenue").GetProperty("value").GetDouble(), 0.5);
        Assert.Equal("derived", mining.GetProperty("revenue").GetProperty("source").GetString());
        Assert.Equal("unavailable", mining.GetProperty("capex").GetProperty("source").GetString());
        Assert.Contains("--asic-price", mining.GetProperty("capex").GetProperty("reason").GetString());
        var btc = root.GetProperty("inputs").EnumerateArray().Single(i => i.GetProperty("name").GetString()!.StartsWith("BTC price", StringComparison.Ordinal));
        Assert.Equal("default", btc.GetProperty("source").GetString());
        Assert.Equal(154, btc.GetProperty("age_days").GetInt32());
        Assert.Contains(root.GetProperty("defaults").GetProperty("older_than_90_days").EnumerateArray(), s => s.GetProperty("input").GetString() == "btc-price");
        var sweep = root.GetProperty("sensitivity").GetProperty("profit_vs_btc_price").EnumerateArray().ToArray();
        Assert.Contains(sweep, p => p.GetProperty("btc_price_usd").GetDouble() == 60_000);
        // The break-even price is a row of the table, where mining and GPU cloud are equal.
        double breakEven = Math.Round(root.GetProperty("break_even").GetProperty("btc_price_vs_gpu_cloud").GetProperty("value").GetDouble());
        var row = sweep.Single(p => p.GetProperty("btc_price_usd").GetDouble() == breakEven);
        Assert.Equal(row.GetProperty("gpu-cloud").GetDouble(), row.GetProperty("mining").GetDouble(), 1e-5 * row.GetProperty("gpu-cloud").GetDouble());
    }

    [Fact]
    public void Measured_reports_from_several_nodes_set_the_gpu_figures_and_list_the_outlier()
    {
        var reports = CompareReportFiles.Cluster(Path.Combine(_folder, "nodes"));
        string output = Path.Combine(_folder, "out");
        var run = At(s_today, ["site", "--output", output, "--reports", .. reports, "--btc-price", "95000"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("reports: 3; NVIDIA H100 80GB HBM3: 6 device(s)", run.Output);
        Assert.Contains("outlier: ", run.Output);
        Assert.Contains("sha256d rate 5.6E+09 is 20 % below its peers' median 7E+09 (slower)", run.Output);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "site.json")));
        var inputs = json.RootElement.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!.Split(" (--")[1].TrimEnd(')'));
        Assert.Equal("measured", inputs["gpu-watts"].GetProperty("source").GetString());
        Assert.Equal(653.5, inputs["gpu-watts"].GetProperty("value").GetDouble(), 9);
        Assert.Contains("median of 6", inputs["gpu-watts"].GetProperty("note").GetString());
        Assert.Equal(7.0e9, inputs["gpu-hashrate"].GetProperty("value").GetDouble());
        Assert.Equal("user", inputs["btc-price"].GetProperty("source").GetString());
        Assert.Equal("default", inputs["gpu-rent"].GetProperty("source").GetString());
        var measured = json.RootElement.GetProperty("measured");
        Assert.Equal(2, measured.GetProperty("models")[0].GetProperty("outliers").GetArrayLength());
        // 653.5 W + 575 W per GPU: ⌊10^6 ÷ 1,228.5⌋ = 814 GPUs.
        var cloud = json.RootElement.GetProperty("scenarios").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "gpu-cloud");
        Assert.Equal(814, cloud.GetProperty("units").GetProperty("value").GetDouble());
        Assert.Contains("outlier", File.ReadAllText(Path.Combine(output, "site.md")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_gpu_without_a_rental_market_leaves_gpu_cloud_unknown_and_says_so()
    {
        var report = CompareReportFiles.Write(Path.Combine(_folder, "nodes"), "a",
            new CompareReportFiles.Gpu("cuda:0", "NVIDIA GeForce RTX 3080", 2.5e9, 320, 60e12, 300));
        var run = At(s_today, "site", "--output", Path.Combine(_folder, "out"), "--reports", report);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("has no rental market in the reference table: set", run.Output);
        Assert.Contains("mining against GPU cloud: no break-even BTC price", run.Output);
        Assert.Contains("most profit per MW: AI colocation", run.Output);
        // Given a rent, it has one.
        var rented = At(s_today, "site", "--output", Path.Combine(_folder, "out2"), "--reports", report, "--gpu-rent", "0.2");
        Assert.Contains("mining matches GPU cloud at a BTC price of", rented.Output);
    }

    [Fact]
    public void A_defaults_file_replaces_the_built_in_one_and_fresh_defaults_bring_no_warning()
    {
        Directory.CreateDirectory(_folder);
        string file = Path.Combine(_folder, "market-defaults.json");
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "market-defaults.json"));
        // Every dated figure re-dated to 2026-11-01 and the BTC price raised: 26 days old on 2026-11-27.
        text = System.Text.RegularExpressions.Regex.Replace(text, "\"date\": \"[0-9-]+\"", "\"date\": \"2026-11-01\"")
            .Replace("\"value\": 60000,", "\"value\": 90000,", StringComparison.Ordinal);
        File.WriteAllText(file, text);
        var run = At(s_today, "site", "--output", Path.Combine(_folder, "out"), "--defaults", file);
        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("warning", run.Output);
        Assert.Contains($"defaults: {file}", run.Output);
        Assert.Contains("are 26 to 26 days old", run.Output);
        Assert.Contains("90000 USD", run.Output);
        // The same file, a year later: every dated figure is stale.
        Assert.Contains("warning: ", At(s_today.AddYears(1), "site", "--output", Path.Combine(_folder, "out2"), "--defaults", file).Output);
    }

    [Theory]
    [InlineData("--mw: the site's IT load must be more than 0 MW; got 0", "--mw", "0")]
    [InlineData("--mw must be a number of at least 0; got \"-2\"", "--mw", "-2")]
    [InlineData("--pue: PUE (facility power ÷ IT power) cannot be below 1; got 0.95", "--pue", "0.95")]
    [InlineData("--utilisation: utilisation is a fraction from 0 to 1; got 1.2", "--utilisation", "1.2")]
    [InlineData("--utilisation must be a number of at least 0", "--utilisation", "-0.1")]
    [InlineData("Unknown ASIC model \"Antminer S99\"; known: Antminer S19 Pro", "--asic", "Antminer S99")]
    [InlineData("--gpu-model picks a model from --reports", "--gpu-model", "H100")]
    [InlineData("Give --btc-price or --hashprice, not both", "--btc-price", "1", "--hashprice", "40")]
    [InlineData("--reports: /nonexistent/report.json does not exist", "--reports", "/nonexistent/report.json")]
    [InlineData("The defaults file /nonexistent/d.json does not exist", "--defaults", "/nonexistent/d.json")]
    public void Bad_input_gets_one_line_and_exit_code_2(string expected, params string[] args)
    {
        CliRun.Of(["site", "--output", _folder, .. args]).AssertUsageError(expected);
        Assert.False(Directory.Exists(_folder), "nothing is written for bad input");
    }

    [Fact]
    public void A_report_that_is_not_from_compare_or_lacks_the_wanted_model_is_refused()
    {
        Directory.CreateDirectory(_folder);
        string other = Path.Combine(_folder, "site.json");
        File.WriteAllText(other, """{"tool": "htb site"}""");
        CliRun.Of("site", "--output", Path.Combine(_folder, "o1"), "--reports", other).AssertUsageError($"--reports: {other} is not a report of htb compare");
        var reports = CompareReportFiles.Cluster(_folder);
        CliRun.Of(["site", "--output", Path.Combine(_folder, "o2"), "--gpu-model", "B200", "--reports", .. reports])
            .AssertUsageError("--gpu-model: no device of model \"B200\" in the reports; found NVIDIA H100 80GB HBM3 (6)");
    }
}
