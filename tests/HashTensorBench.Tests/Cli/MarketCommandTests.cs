using System.Text.Json;
using HashTensorBench.Cli;
using HashTensorBench.Cli.Report;
using HashTensorBench.Comparison;
using HashTensorBench.Economics;
using HashTensorBench.Economics.Refresh;
using HashTensorBench.Tensors;
using HashTensorBench.Tests.Economics.Refresh;

namespace HashTensorBench.Tests.Cli;

public sealed class MarketCommandTests : IDisposable
{
    private static readonly DateTimeOffset s_refreshed = new(2026, 12, 20, 10, 30, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "htb-market-" + Guid.NewGuid().ToString("N"));

    public MarketCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    // htb at a fixed time, with the refreshed defaults' place in this test's folder.
    private CliRun At(DateTimeOffset now, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = HtbApp.RunAsync(args, output, error, new FixedClock(now), Path.Combine(_folder, "config", "market.json")).GetAwaiter().GetResult();
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public void Refresh_writes_the_served_figures_and_site_prices_with_them()
    {
        using var server = MempoolTestServer.Start(MempoolTestServer.Network());
        string file = Path.Combine(_folder, "market.json");
        var refresh = At(s_refreshed, "market", "refresh", "--mempool-url", server.Url.AbsoluteUri.TrimEnd('/'), "--output", file);
        Assert.Equal(0, refresh.ExitCode);
        Assert.Equal("", refresh.Error);
        Assert.Contains("block height 957,000", refresh.Output);
        Assert.Contains("fees 0.25 BTC per block, blocks 956,857–957,000 (144)", refresh.Output);
        Assert.Contains("BTC price 150,000 USD at 2026-12-20 10:00 UTC", refresh.Output);
        Assert.Contains("hash rate 1,000.0 EH/s", refresh.Output);
        Assert.Contains("next difficulty adjustment +2.50 %, at block 957,600", refresh.Output);
        Assert.Contains($"wrote {file}: btc-price, difficulty, fees, height refreshed", refresh.Output);

        string report = Path.Combine(_folder, "site");
        var site = At(s_refreshed.AddDays(1), "site", "--defaults", file, "--difficulty-growth", "0", "--paths", "100", "--output", report);
        Assert.Equal(0, site.ExitCode);
        Assert.Contains($"defaults: {file}, refreshed 2026-12-20 10:30 UTC from {server.Url} (btc-price, difficulty, fees, height; 1 days old); named by the user", site.Output);
        // The halving dated from the served tip: 93,000 blocks at 10 minutes each after 2026-12-20.
        Assert.Contains("halving: block 1,050,000 is 93,000 blocks after block 957,000 (2026-12-20); at 10 minutes a block it falls on 2028-09-25", site.Output);
        // Only the inputs it did not refresh are old enough to be warned about.
        string warning = site.Output.Split('\n').Single(l => l.StartsWith("warning: ", StringComparison.Ordinal));
        Assert.Contains("electricity ", warning);
        Assert.DoesNotContain("htb market refresh", warning);
        foreach (var input in MarketRefresh.Inputs)
            Assert.DoesNotMatch($"[ ,]{input.Key} [0-9]+ d", warning);

        // 274 S21 XP (⌊10^6 W ÷ (270 TH/s × 13.5 J/TH)⌋) a month each: 2,628,000 s × (3.125 subsidy + 0.25 fees) BTC ÷ (150·10^12 × 2^32),
        // less the 2 % pool fee, at 150,000 USD; no month curtailed at that price, no growth with --difficulty-growth 0.
        double month = 274 * 270e12 * 2_628_000 * (3.125 + 0.25) / (150e12 * 4_294_967_296) * 0.98 * 150_000;
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "site.json")));
        var asic = json.RootElement.GetProperty("uses").EnumerateArray().Single(u => u.GetProperty("key").GetString() == "asic");
        Assert.Equal(12 * month, asic.GetProperty("years")[0].GetProperty("revenue").GetDouble(), 1e-6);
        var defaults = json.RootElement.GetProperty("defaults");
        Assert.Equal(file, defaults.GetProperty("file").GetString());
        Assert.Equal(["btc-price", "difficulty", "fees", "height"], defaults.GetProperty("refreshed").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(server.Url.AbsoluteUri, defaults.GetProperty("refreshed_from").GetString());
        Assert.Contains($"defaults: {file}, refreshed 2026-12-20 10:30 UTC", File.ReadAllText(Path.Combine(report, "site.md")));
    }

    [Fact]
    public void A_server_answering_500_leaves_the_file_untouched_and_exits_non_zero()
    {
        var routes = MempoolTestServer.Network();
        routes[MempoolClient.PricesRoute] = MempoolTestServer.Json("""{"error":"Failed to get prices"}""", 500);
        using var server = MempoolTestServer.Start(routes);
        string file = Path.Combine(_folder, "market.json");
        File.Copy(Path.Combine(AppContext.BaseDirectory, MarketDefaults.FileName), file);
        byte[] old = File.ReadAllBytes(file);

        var run = At(s_refreshed, "market", "refresh", "--mempool-url", server.Url.AbsoluteUri, "--output", file);
        Assert.Equal(HtbApp.NetworkError, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Equal($"htb: {server.Url}{MempoolClient.PricesRoute}: HTTP 500 (Internal Server Error): Failed to get prices{Environment.NewLine}", run.Error);
        Assert.Equal(old, File.ReadAllBytes(file));
        Assert.Equal([file], Directory.GetFiles(_folder));
    }

    [Fact]
    public void Without_output_it_writes_the_file_site_then_finds_and_says_how_old_it_is()
    {
        string config = Path.Combine(_folder, "config", "market.json");
        var before = At(s_refreshed, "site", "--paths", "100", "--output", Path.Combine(_folder, "before"));
        Assert.Contains($"defaults: built-in market-defaults.json, collected 2026-12-05 (15 days old); no refreshed file at {config} (htb market refresh writes it)", before.Output);
        Assert.Contains("; htb market refresh reads today's BTC price, difficulty, fees and height; ", before.Output);

        using var server = MempoolTestServer.Start(MempoolTestServer.Network());
        Assert.Equal(0, At(s_refreshed, "market", "refresh", "--mempool-url", server.Url.AbsoluteUri).ExitCode);
        Assert.True(File.Exists(config));
        var after = At(s_refreshed.AddDays(2), "site", "--paths", "100", "--output", Path.Combine(_folder, "after"));
        Assert.Equal(0, after.ExitCode);
        Assert.Contains($"defaults: {config}, refreshed 2026-12-20 10:30 UTC from {server.Url} (btc-price, difficulty, fees, height; 2 days old); newer than the built-in market-defaults.json (collected 2026-12-05)", after.Output);
        Assert.Contains("150,000 USD", after.Output);
    }

    [Theory]
    [InlineData("ftp://example.org/", "The mempool URL \"ftp://example.org/\" is not an http or https URL.")]
    [InlineData("mempool.space", "The mempool URL \"mempool.space\" is not an http or https URL.")]
    public void A_url_that_is_not_http_is_refused(string url, string message)
    {
        var run = At(s_refreshed, "market", "refresh", "--mempool-url", url, "--output", Path.Combine(_folder, "m.json"));
        run.AssertUsageError(message);
        Assert.False(File.Exists(Path.Combine(_folder, "m.json")));
    }

    [Fact]
    public void The_compare_report_names_its_defaults_and_their_age()
    {
        var defaults = MarketDefaults.Choose(null, Path.Combine(_folder, "none.json"));
        var report = new ComparisonReport(new DateTimeOffset(2026, 12, 23, 9, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(10), false, false, "cpu", "none",
            MarketInputs.ForCompare(defaults), GemmElementType.Fp32, []) { Defaults = defaults };
        Assert.Contains("Defaults: built-in market-defaults.json, collected 2026-12-05 (18 days old); no refreshed file at ", ReportMarkdown.Write(report));
        using var stream = new MemoryStream();
        ReportJson.Write(stream, report);
        using var json = JsonDocument.Parse(stream.ToArray());
        var written = json.RootElement.GetProperty("defaults");
        Assert.Equal("built-in", written.GetProperty("file").GetString());
        Assert.StartsWith("built-in market-defaults.json, collected 2026-12-05 (18 days old)", written.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, written.GetProperty("refreshed").GetArrayLength());
    }
}
