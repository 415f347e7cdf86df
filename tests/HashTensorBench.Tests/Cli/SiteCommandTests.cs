using System.Text.Json;
using HashTensorBench.Cli;
using HashTensorBench.Cli.Report;

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
    public void A_derived_btc_price_is_rounded_on_the_console_and_in_the_report()
    {
        var run = At(s_today, "site", "--hashprice", "50", "--output", _folder);
        Assert.Equal(0, run.ExitCode);
        string md = File.ReadAllText(Path.Combine(_folder, "site.md"));
        Assert.Contains("| BTC price | `--btc-price` | 105,899 USD |", md);
        Assert.Contains("105,899 USD", run.Output.Split("BTC price (--btc-price)")[1].Split('\n')[0]);
        Assert.DoesNotContain("105899.3", run.Output + md);
    }

    [Fact]
    public void With_defaults_it_ranks_the_uses_by_annuity_shows_their_risk_and_writes_the_report()
    {
        var run = At(s_today, "site", "--output", _folder);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Contains("ranked by equivalent annual annuity at a 10 % discount rate, each use over its own life: GPU cloud", run.Output);
        Assert.Contains("most value per MW: GPU cloud", run.Output);
        Assert.Contains("build: an existing mining site, whose build cost is sunk", run.Output);
        Assert.Contains("halving: block 1,050,000 is 94,416 blocks after block 955,584 (2026-06-26); at 10 minutes a block it falls on 2028-04-11, month 17 from 2026-11-01", run.Output);
        Assert.Contains("assumptions (htb's judgement, not published figures; set them with their flags): ", run.Output);
        Assert.Contains("discount-rate", run.Output.Split("assumptions (")[1].Split('\n')[0]);
        Assert.Contains("Risk over 10,000 paths (seed 1)", run.Output);
        Assert.Contains("efficient mixes (no other mix on a 10 % grid", run.Output);
        Assert.Contains("on the median path (P50 of each use's annuity): AI colocation", run.Output);
        Assert.Contains("BTC price: ASIC mining takes the lead from GPU cloud at ", run.Output);
        Assert.Contains("Antminer S21 XP (270 TH/s, 13.5 J/TH)", run.Output);
        // The defaults' age: the BTC price of 2026-06-26 is 154 days old.
        Assert.Contains("btc-price 154 d", run.Output);
        foreach (string chart in SiteCharts.Names)
        {
            Assert.True(new FileInfo(Path.Combine(_folder, chart + ".png")).Length > 10_000, chart);
            string svg = File.ReadAllText(Path.Combine(_folder, chart + ".svg"));
            // The dated inputs under every chart.
            Assert.Contains("BTC 60,000 USD (2026-06-26)", svg);
            Assert.Contains("<path", svg);
        }
        string Chart(string name) => File.ReadAllText(Path.Combine(_folder, name + ".svg"));
        Assert.Contains("10,000 paths, seed 1", Chart("site-npv-fan"));
        // The tornado is the leader's, each row its input's low and high values.
        Assert.Contains("GPU cloud, the leader", Chart("site-tornado"));
        Assert.Contains("2.12 USD/h → 3.18 USD/h", Chart("site-tornado"));
        Assert.Contains("32,000 USD per GPU → 48,000 USD per GPU", Chart("site-tornado"));
        // Now and the flip marked; GPU hashing, ten times further below than the others span, named and not drawn.
        string byPrice = Chart("site-annuity-vs-btc-price");
        Assert.Contains("now 60,000 USD: GPU cloud leads", byPrice);
        Assert.Contains("ASIC mining takes the lead", byPrice);
        Assert.Contains("GPU hashing at -10.1 (off the chart)", byPrice);
        Assert.Contains("AI colocation takes the lead", Chart(SiteCharts.AnnuityByRent));
        string md = File.ReadAllText(Path.Combine(_folder, "site.md"));
        Assert.Contains("`site-npv-fan`, `site-tornado`, `site-annuity-vs-btc-price`, `site-annuity-vs-gpu-rent` (PNG and SVG). Every figure", md);
        foreach (string section in new[] { "## The answer", "## Yearly cash per MW", "## Risk", "### Efficient mixes", "## Where the answer flips", "## Sensitivity", "### One NPV worked by hand", "## Inputs" })
            Assert.Contains(section, md);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "site.json")));
        var root = json.RootElement;
        Assert.Equal("htb site", root.GetProperty("tool").GetString());
        var uses = root.GetProperty("uses").EnumerateArray().ToArray();
        Assert.Equal(["gpu-cloud", "colocation", "asic", "gpu-hashing"], uses.Select(u => u.GetProperty("key").GetString()));
        var asic = uses.Single(u => u.GetProperty("key").GetString() == "asic");
        Assert.Equal(3, asic.GetProperty("horizon_years").GetDouble());
        Assert.Equal("derived", asic.GetProperty("npv").GetProperty("source").GetString());
        Assert.Equal(3, asic.GetProperty("years").GetArrayLength());
        Assert.Contains(root.GetProperty("assumptions").EnumerateArray(), a => a.GetString() == "discount-rate");
        var btc = root.GetProperty("inputs").EnumerateArray().Single(i => i.GetProperty("name").GetString()!.StartsWith("BTC price", StringComparison.Ordinal));
        Assert.Equal("default", btc.GetProperty("source").GetString());
        Assert.Equal(154, btc.GetProperty("age_days").GetInt32());
        var risk = root.GetProperty("risk");
        Assert.Equal(10_000, risk.GetProperty("paths").GetInt32());
        Assert.NotEqual(0, risk.GetProperty("efficient_mixes").GetArrayLength());
        var sweep = root.GetProperty("sweeps").GetProperty("annuity_vs_btc_price").EnumerateArray().ToArray();
        Assert.Contains(sweep, p => p.GetProperty("btc_price_usd").GetDouble() == 60_000);
        // Where the lead flips on the BTC price is a row of the sweep, where the two uses' annuities are equal.
        var flip = root.GetProperty("flips").EnumerateArray().Single(f => f.GetProperty("input").GetString() == "btc-price");
        double price = Math.Round(flip.GetProperty("value").GetDouble());
        var row = sweep.Single(p => p.GetProperty("btc_price_usd").GetDouble() == price);
        Assert.Equal(row.GetProperty("gpu-cloud").GetDouble(), row.GetProperty("asic").GetDouble(), 1e-4 * Math.Abs(row.GetProperty("gpu-cloud").GetDouble()));
    }

    [Fact]
    public void One_year_at_no_growth_no_discount_and_no_residual_reproduces_profit_less_capex()
    {
        var run = At(s_today, "site", "--output", _folder, "--years", "1", "--discount-rate", "0", "--difficulty-growth", "0", "--residual", "0", "--asic-price", "12", "--paths", "100");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "site.json")));
        var asic = json.RootElement.GetProperty("uses").EnumerateArray().Single(u => u.GetProperty("key").GetString() == "asic");
        // 274 S21 XP: a year of revenue less electricity and opex (SiteAnalysisTests works it out), less 274 × 270 TH/s × 12 USD.
        double revenue = 12 * 274 * 270e12 * 2_628_000 * 3.142 / (133.87e12 * 4_294_967_296) * 0.98 * 60_000;
        double electricity = 12 * 274 * 3.645 * 1.2 * 730 * 0.05;
        double profit = revenue - electricity - 90_000;
        var year = asic.GetProperty("years")[0];
        Assert.Equal(revenue, year.GetProperty("revenue").GetDouble(), 1e-6);
        Assert.Equal(profit - 274 * 270 * 12, asic.GetProperty("npv").GetProperty("value").GetDouble(), 1e-6);
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
        var cloud = json.RootElement.GetProperty("uses").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "gpu-cloud");
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
        Assert.Contains("GPU cloud: GPU cloud is not valued: no rent (NVIDIA GeForce RTX 3080 has no rental market in the reference table: set the GPU rent)", run.Output);
        Assert.DoesNotContain("GPU cloud ", run.Output.Split("ranked by")[1].Split('\n')[0]);
        // Every chart is still written; the one against the rent draws no line and says why, and site.md says so.
        string output = Path.Combine(_folder, "out");
        foreach (string chart in SiteCharts.Names)
            Assert.True(File.Exists(Path.Combine(output, chart + ".png")), chart);
        string rentChart = File.ReadAllText(Path.Combine(output, SiteCharts.AnnuityByRent + ".svg"));
        Assert.Contains("GPU cloud is not valued: no rent", rentChart);
        Assert.DoesNotContain("<path", rentChart);
        Assert.Contains($"`{SiteCharts.AnnuityByRent}` has no lines, as GPU cloud is not valued without a rent", File.ReadAllText(Path.Combine(output, "site.md")));
        // Given a rent, it is valued.
        var rented = At(s_today, "site", "--output", Path.Combine(_folder, "out2"), "--reports", report, "--gpu-rent", "0.2");
        Assert.Contains("GPU cloud ", rented.Output.Split("ranked by")[1].Split('\n')[0]);
    }

    [Fact]
    public void A_defaults_file_replaces_the_built_in_one_and_fresh_defaults_bring_no_warning()
    {
        Directory.CreateDirectory(_folder);
        string file = Path.Combine(_folder, "market-defaults.json");
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "market-defaults.json"));
        // Every dated figure re-dated to 2026-11-01 and the BTC price raised: 26 days old on 2026-11-27.
        text = System.Text.RegularExpressions.Regex.Replace(text, "\"(rent_)?date\": \"[0-9-]+\"", "\"$1date\": \"2026-11-01\"")
            .Replace("\"value\": 60000,", "\"value\": 90000,", StringComparison.Ordinal);
        File.WriteAllText(file, text);
        var run = At(s_today, "site", "--output", Path.Combine(_folder, "out"), "--defaults", file);
        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("warning", run.Output);
        Assert.Contains($"defaults: {file}", run.Output);
        Assert.Contains("are 26 to 26 days old", run.Output);
        Assert.Contains("90,000 USD", run.Output);
        // The same file, a year later: every dated figure is stale.
        Assert.Contains("warning: ", At(s_today.AddYears(1), "site", "--output", Path.Combine(_folder, "out2"), "--defaults", file).Output);
    }

    [Theory]
    [InlineData("--mw: the site IT load must be more than 0; got 0", "--mw", "0")]
    [InlineData("--mw: the site IT load must be more than 0; got -2", "--mw", "-2")]
    [InlineData("--pue: the PUE must be at least 1 (facility power ÷ IT power); got 0.95", "--pue", "0.95")]
    [InlineData("--utilisation: the utilisation must be from 0 to 1; got 1.2", "--utilisation", "1.2")]
    [InlineData("--utilisation: the utilisation must be from 0 to 1; got -0.1", "--utilisation", "-0.1")]
    [InlineData("--years: the horizon must be more than 0 and at most 50; got 0", "--years", "0")]
    [InlineData("--years: the horizon must be more than 0 and at most 50; got -3", "--years", "-3")]
    [InlineData("--years: the horizon must be more than 0 and at most 50; got 51", "--years", "51")]
    [InlineData("--discount-rate: the discount rate must be more than -1; got -1", "--discount-rate", "-1")]
    [InlineData("--difficulty-growth: the difficulty growth must be from -0.9 to 10; got -0.95", "--difficulty-growth", "-0.95")]
    [InlineData("--difficulty-growth: the difficulty growth must be from -0.9 to 10; got 11", "--difficulty-growth", "11")]
    [InlineData("--paths must be a whole number from 1 to 10000000; got \"0\"", "--paths", "0")]
    [InlineData("--paths must be a whole number from 1 to 10000000; got \"10000001\"", "--paths", "10000001")]
    [InlineData("Unknown use \"hosting\" in the mix; the uses are asic, gpu-cloud, colocation, gpu-hashing", "--mix", "asic=0.3,hosting=0.7")]
    [InlineData("The shares of a mix must sum to 1; \"asic=0.5,colocation=0.6\" sums to 1.1", "--mix", "asic=0.5,colocation=0.6")]
    [InlineData("--btc-volatility: the BTC volatility must be at least 0; got -0.1", "--btc-volatility", "-0.1")]
    [InlineData("--rent-volatility: the GPU rent volatility must be at least 0; got -1", "--rent-volatility", "-1")]
    [InlineData("--rent-btc-correlation: the rent–BTC correlation must be from -1 to 1; got 1.5", "--rent-btc-correlation", "1.5")]
    [InlineData("--tenant-default: the tenant default must be from 0 to 1; got 1.1", "--tenant-default", "1.1")]
    [InlineData("--tenant-default: the tenant default must be from 0 to 1; got -0.1", "--tenant-default", "-0.1")]
    [InlineData("--residual: the residual value must be from 0 to 1; got 2", "--residual", "2")]
    [InlineData("--asic-price must be a number; got \"cheap\"", "--asic-price", "cheap")]
    [InlineData("Unknown ASIC model \"Antminer S99\"; known: Antminer S19 Pro", "--asic", "Antminer S99")]
    [InlineData("Unknown GPU model \"H900\"; the datasheet table knows NVIDIA H100 PCIe, NVIDIA H100 SXM", "--gpu-model", "H900")]
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

    [Fact]
    public void A_gpu_model_without_reports_comes_from_the_datasheet_table()
    {
        var run = At(s_today, "site", "--output", _folder, "--gpu-model", "A100", "--paths", "200");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("GPU NVIDIA A100 (datasheet)", run.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "site.json")));
        var root = json.RootElement;
        var inputs = root.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!.Split(" (--")[1].TrimEnd(')'));
        Assert.Equal(400, inputs["gpu-watts"].GetProperty("value").GetDouble());
        Assert.Equal(1.30, inputs["gpu-rent"].GetProperty("value").GetDouble());
        // hashcat mode 1400 at 9,409 MH/s × 0.45 for sha256d.
        Assert.Equal(0.45 * 9409e6, inputs["gpu-hashrate"].GetProperty("value").GetDouble(), 1e-3);
        Assert.Contains("H100/H200-class price", inputs["gpu-server-price"].GetProperty("published_by").GetString());
        // 400 W + 575 W per GPU: ⌊10^6 ÷ 975⌋ = 1,025 GPUs.
        var cloud = root.GetProperty("uses").EnumerateArray().Single(u => u.GetProperty("key").GetString() == "gpu-cloud");
        Assert.Equal(1025, cloud.GetProperty("units").GetProperty("value").GetDouble());

        // No published sha256 rate for the H200: GPU hashing is left out, saying why.
        var h200 = At(s_today, "site", "--output", Path.Combine(_folder, "h200"), "--gpu-model", "H200", "--paths", "200");
        Assert.Equal(0, h200.ExitCode);
        Assert.Contains("GPU hashing: GPU hashing is not valued: no sha256d rate (no published sha256 rate for the NVIDIA H200", h200.Output);
    }

    [Fact]
    public void An_asic_given_by_hand_replaces_the_tables_model()
    {
        var run = At(s_today, "site", "--output", _folder, "--asic-ths", "500", "--asic-jth", "10", "--asic-price", "10", "--paths", "100");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("ASIC ASIC given by hand (500 TH/s, 10 J/TH)", run.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "site.json")));
        var asic = json.RootElement.GetProperty("uses").EnumerateArray().Single(u => u.GetProperty("key").GetString() == "asic");
        // 500 TH/s × 10 J/TH = 5,000 W: ⌊10^6 ÷ 5,000⌋ = 200 units, 200 × 500 TH/s × 10 USD per TH/s of capex.
        Assert.Equal(200, asic.GetProperty("units").GetProperty("value").GetDouble());
        Assert.Equal(1_000_000, asic.GetProperty("assets")[0].GetProperty("price_usd").GetDouble());

        CliRun.Of("site", "--output", Path.Combine(_folder, "half"), "--asic-ths", "500")
            .AssertUsageError("--asic-jth: An ASIC given by hand needs both its ASIC hash rate and its ASIC efficiency.");
    }

    private static JsonElement Use(JsonElement root, string key) => root.GetProperty("uses").EnumerateArray().Single(u => u.GetProperty("key").GetString() == key);

    private static Dictionary<string, JsonElement> Inputs(JsonElement root) =>
        root.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!.Split(" (--")[1].TrimEnd(')'));

    [Fact]
    public void The_gpu_and_colocation_flags_set_the_figures_that_hand_arithmetic_gives()
    {
        // Rent and difficulty held still, so that year 1 is twelve equal months.
        var run = At(s_today, "site", "--output", _folder, "--paths", "100", "--rent-change", "0", "--difficulty-growth", "0",
            "--gpu-watts", "900", "--gpu-overhead-watts", "100", "--gpu-server-price", "30000", "--ai-capex", "5000000",
            "--gpu-hash-watts", "400", "--gpu-hashrate", "1e14", "--colo-price", "2000000", "--colo-power-passthrough", "0");
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "site.json")));
        var root = json.RootElement;
        var inputs = Inputs(root);
        foreach (string flag in new[] { "gpu-watts", "gpu-overhead-watts", "gpu-server-price", "ai-capex", "gpu-hash-watts", "gpu-hashrate", "colo-price", "colo-power-passthrough" })
            Assert.Equal("user", inputs[flag].GetProperty("source").GetString());
        // A year of electricity for W watts of IT load: W × PUE 1.2 × 8,760 h × 0.05 USD/kWh.
        static double Electricity(double watts) => watts / 1000 * 1.2 * 8760 * 0.05;

        // GPU cloud: ⌊10^6 ÷ (900 + 100)⌋ = 1,000 GPUs, each rented 2.65 USD/h 80 % of the time; month 0 buys them and the AI build.
        var cloud = Use(root, "gpu-cloud");
        Assert.Equal(1000, cloud.GetProperty("units").GetProperty("value").GetDouble());
        var cloudYear = cloud.GetProperty("years")[0];
        Assert.Equal(1000 * 2.65 * 0.8 * 8760, cloudYear.GetProperty("revenue").GetDouble(), 1e-6);
        Assert.Equal(Electricity(1000 * 1000), cloudYear.GetProperty("electricity").GetDouble(), 1e-6);
        Assert.Equal(1000 * 30_000 + 5_000_000, cloudYear.GetProperty("capex_less_residual").GetDouble(), 1e-6);

        // GPU hashing: ⌊10^6 ÷ (400 + 100)⌋ = 2,000 GPUs at 10^14 H/s each, priced as the ASICs are (SiteAnalysisTests).
        var hashing = Use(root, "gpu-hashing");
        Assert.Equal(2000, hashing.GetProperty("units").GetProperty("value").GetDouble());
        var hashingYear = hashing.GetProperty("years")[0];
        Assert.Equal(0, hashingYear.GetProperty("months_curtailed").GetInt32());
        double revenue = 12 * 2000 * 1e14 * 2_628_000 * 3.142 / (133.87e12 * 4_294_967_296) * 0.98 * 60_000;
        Assert.Equal(revenue, hashingYear.GetProperty("revenue").GetDouble(), 1e-6);
        Assert.Equal(Electricity(2000 * 500), hashingYear.GetProperty("electricity").GetDouble(), 1e-6);
        Assert.Equal(2000 * 30_000 + 5_000_000, hashingYear.GetProperty("capex_less_residual").GetDouble(), 1e-6);

        // Colocation: 2,000,000 USD a year of lease, the landlord paying all of the MW's power (passthrough 0), 15 % opex.
        var colo = Use(root, "colocation");
        var coloYear = colo.GetProperty("years")[0];
        Assert.Equal(2_000_000, coloYear.GetProperty("revenue").GetDouble(), 1e-6);
        Assert.Equal(Electricity(1_000_000), coloYear.GetProperty("electricity").GetDouble(), 1e-6);
        Assert.Equal(0.15 * 2_000_000, coloYear.GetProperty("opex").GetDouble(), 1e-6);
        Assert.Equal(5_000_000, coloYear.GetProperty("capex_less_residual").GetDouble(), 1e-6);
    }

    [Fact]
    public void Mining_capex_is_counted_for_a_new_site_in_every_use()
    {
        var run = At(s_today, "site", "--output", _folder, "--paths", "100", "--new-site", "--mining-capex", "800000");
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "site.json")));
        var root = json.RootElement;
        Assert.Equal("user", Inputs(root)["mining-capex"].GetProperty("source").GetString());
        // 274 S21 XP at 270 TH/s × 9 USD per TH/s = 665,820 USD, and the mining build; the AI uses build both.
        var asic = Use(root, "asic");
        Assert.Contains(asic.GetProperty("assets").EnumerateArray(), a => a.GetProperty("name").GetString() == "mining site build" && a.GetProperty("price_usd").GetDouble() == 800_000);
        Assert.Equal(665_820 + 800_000, asic.GetProperty("years")[0].GetProperty("capex_less_residual").GetDouble(), 1e-6);
        Assert.Equal(800_000 + 10_000_000, Use(root, "colocation").GetProperty("years")[0].GetProperty("capex_less_residual").GetDouble(), 1e-6);
        Assert.Equal(784 * 40_000 + 800_000 + 10_000_000, Use(root, "gpu-cloud").GetProperty("years")[0].GetProperty("capex_less_residual").GetDouble(), 1e-6);
    }

    [Fact]
    public void The_library_names_the_key_and_the_command_line_names_the_flag()
    {
        var quick = CompareReportFiles.Write(Path.Combine(_folder, "nodes"), "a", quick: true, cancelled: false,
            new CompareReportFiles.Gpu("cuda:0", CompareReportFiles.H100, 7e9, 700, 500e12, 650));
        CliRun.Of("site", "--output", Path.Combine(_folder, "out"), "--reports", quick)
            .AssertUsageError("--include-partial: every report is partial");
        var cpu = CompareReportFiles.Write(Path.Combine(_folder, "nodes"), "b", new CompareReportFiles.Gpu("cpu", "AMD EPYC 9B45", 4e7, 120, 2e12, 150));
        CliRun.Of("site", "--output", Path.Combine(_folder, "out2"), "--reports", cpu)
            .AssertUsageError("--gpu-model: no GPU in 1 report(s) (found AMD EPYC 9B45 (1)); name the model to use.");
        CliRun.Of("compare", "--quick", "--output", Path.Combine(_folder, "out3"), "--devices", "")
            .AssertUsageError("--devices: name at least one device");
    }
}
