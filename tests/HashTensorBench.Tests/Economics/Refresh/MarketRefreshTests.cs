using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using HashTensorBench.Economics;
using HashTensorBench.Economics.Refresh;
using static HashTensorBench.Tests.Economics.Refresh.MempoolTestServer;

namespace HashTensorBench.Tests.Economics.Refresh;

public sealed class MarketRefreshTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 20, 10, 30, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "htb-refresh-" + Guid.NewGuid().ToString("N"));
    private readonly string _file;

    public MarketRefreshTests()
    {
        Directory.CreateDirectory(_folder);
        _file = Path.Combine(_folder, "market.json");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static MempoolClient Client(string url, HttpMessageHandler? handler = null) =>
        new(url, handler) { Clock = new FixedClock(s_now), Timeout = TimeSpan.FromSeconds(10), Backoff = TimeSpan.FromMilliseconds(50) };

    [Fact]
    public async Task The_refreshed_file_holds_every_served_figure_with_its_url_and_the_built_in_rest()
    {
        using var server = Start(Network());
        using (var client = Client(server.Url.AbsoluteUri))
            await MarketRefresh.RunAsync(client, _file);

        var d = MarketDefaults.Load(_file);
        var today = new DateOnly(2026, 12, 20);
        void Refreshed(InputDefinition input, double value, string route)
        {
            var figure = d.Get(input);
            Assert.Equal(value, figure.Value, 12);
            Assert.Equal(input.Unit, figure.Unit);
            Assert.Equal(today, figure.Date);
            Assert.StartsWith(server.Url + route, figure.Source, StringComparison.Ordinal);
        }
        Refreshed(Input.Height, Height, MempoolClient.HeightRoute);
        Refreshed(Input.Difficulty, Difficulty, MempoolClient.HashrateRoute);
        Refreshed(Input.Fees, FeesPerBlock, MempoolClient.RewardStatsRoute);
        Refreshed(Input.BtcPrice, Price, MempoolClient.PricesRoute);
        Assert.Contains("blocks 956,857–957,000 (144): 36 BTC of fees ÷ 144", d.Get(Input.Fees).Source);
        Assert.Equal(["btc-price", "difficulty", "fees", "height"], d.Refreshed);
        Assert.Equal(server.Url.AbsoluteUri, d.RefreshedFrom);
        Assert.Equal(s_now, d.RefreshedAt);
        Assert.Equal(today, d.Collected);
        // Everything else is the built-in entry, dated as it was; nothing falls back for want of an entry.
        foreach (var input in Input.All.Where(i => !i.Optional && !MarketRefresh.Inputs.Contains(i)))
            Assert.Equal(MarketDefaults.Builtin.Get(input), d.Get(input));
        Assert.Equal(MarketDefaults.Builtin.Asics, d.Asics);

        using var json = JsonDocument.Parse(File.ReadAllBytes(_file));
        var root = json.RootElement;
        var price = root.GetProperty("inputs").GetProperty("btc-price");
        Assert.Equal(server.Url + MempoolClient.PricesRoute, price.GetProperty("url").GetString());
        Assert.Equal("2026-12-20T10:00:00Z", price.GetProperty("time").GetString());
        Assert.Equal("2026-12-20T10:30:00Z", root.GetProperty("inputs").GetProperty("difficulty").GetProperty("time").GetString());
        // The figures that are not inputs, beside them.
        var network = root.GetProperty("network");
        Assert.Equal(Hashrate, network.GetProperty("hashrate").GetProperty("value").GetDouble());
        Assert.Equal("H/s", network.GetProperty("hashrate").GetProperty("unit").GetString());
        var adjustment = network.GetProperty("next-difficulty-adjustment");
        Assert.Equal(Change, adjustment.GetProperty("value").GetDouble());
        Assert.Equal("2026-12-24", adjustment.GetProperty("date").GetString());
        Assert.Contains("at block 957,600", adjustment.GetProperty("as_of").GetString());
        Assert.Equal(server.Url + MempoolClient.AdjustmentRoute, adjustment.GetProperty("url").GetString());
        // Written through a temporary file that is gone.
        Assert.Equal([_file], Directory.GetFiles(_folder));
    }

    public static TheoryData<string, int, string, string, string> Failures => new()
    {
        // route, status, content type, body, what the message says
        // utils/api.ts handleError answers {"error": message} to a client that accepts JSON.
        { MempoolClient.RewardStatsRoute, 500, "application/json", """{"error":"Failed to get reward stats"}""", "HTTP 500 (Internal Server Error): Failed to get reward stats" },
        { MempoolClient.AdjustmentRoute, 503, "application/json", """{"error":"Service Temporarily Unavailable"}""", "HTTP 503 (Service Unavailable): Service Temporarily Unavailable" },
        // Express's own page for a route the server does not have (a mempool without mining indexing).
        { MempoolClient.HashrateRoute, 404, "text/html", "<!DOCTYPE html>\n<html lang=\"en\">\n<body>\n<pre>Cannot GET /api/v1/mining/hashrate/24h</pre>\n</body>\n</html>\n", "HTTP 404 (Not Found): <!DOCTYPE html> <html lang=\"en\"> <body> <pre>Cannot GET /api/v1/mining/hashrate/24h</pre>" },
        { MempoolClient.PricesRoute, 200, "text/html", "<html><body>502 Bad Gateway</body></html>", "the answer is not JSON (<html>" },
        { MempoolClient.HeightRoute, 200, "application/json", "{}", "the answer is not a block height: {}" },
        { MempoolClient.HashrateRoute, 200, "application/json", """{"hashrates":[],"difficulty":[],"currentHashrate":1e21}""", "the answer has no \"currentDifficulty\"" },
        { MempoolClient.RewardStatsRoute, 200, "application/json", """{"startBlock":956857,"endBlock":957000,"totalReward":"1","totalFee":null,"totalTx":"1"}""", "\"totalFee\" is not a number: null" },
        // Bitcoin Core out of reach: the route answers zeros.
        { MempoolClient.HashrateRoute, 200, "application/json", """{"hashrates":[],"difficulty":[],"currentHashrate":0,"currentDifficulty":0}""", "implausible difficulty 0 (\"currentDifficulty\"): it must be more than 0" },
        // No price fetched yet: every currency is -1.
        { MempoolClient.PricesRoute, 200, "application/json", """{"time":0,"USD":-1,"EUR":-1}""", "implausible BTC price -1 USD: it must be more than 0" },
        { MempoolClient.PricesRoute, 200, "application/json", """{"time":1797760800,"USD":6000001}""", "implausible BTC price 6,000,001 USD: more than 100 times above the previous 60,000 USD" },
        { MempoolClient.PricesRoute, 200, "application/json", """{"time":1797760800,"USD":599}""", "more than 100 times below the previous 60,000 USD" },
        { MempoolClient.HeightRoute, 200, "text/plain", "900000", "implausible block height 900,000: below the defaults' 955,584" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failing_or_implausible_answer_names_its_url_and_leaves_the_old_file_as_it_was(string route, int status, string type, string body, string message)
    {
        byte[] old = OldFile();
        var routes = Network();
        routes[route] = new Route(status, type, body);
        using var server = Start(routes);
        using var client = Client(server.Url.AbsoluteUri);
        var ex = await Assert.ThrowsAsync<MarketRefreshException>(() => MarketRefresh.RunAsync(client, _file));
        Assert.StartsWith($"{server.Url}{route}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        AssertUntouched(old);
    }

    [Fact]
    public async Task An_unreachable_server_is_tried_twice_and_the_old_file_stays()
    {
        byte[] old = OldFile();
        using var held = RefusingPort(out int port);
        string url = $"http://127.0.0.1:{port}/";
        using var client = Client(url);
        var ex = await Assert.ThrowsAsync<MarketRefreshException>(() => MarketRefresh.RunAsync(client, _file));
        Assert.StartsWith($"{url}{MempoolClient.HeightRoute}: cannot connect: ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("twice (0.05 s apart)", ex.Message, StringComparison.Ordinal);
        AssertUntouched(old);
    }

    [Fact]
    public async Task A_failed_name_lookup_says_so_and_the_old_file_stays()
    {
        byte[] old = OldFile();
        // The resolver's answer for a name that does not exist, given in process: no lookup leaves the machine.
        using var handler = new SocketsHttpHandler { ConnectCallback = (_, _) => throw new SocketException((int)SocketError.HostNotFound) };
        using var client = Client("http://mempool.invalid/", handler);
        var ex = await Assert.ThrowsAsync<MarketRefreshException>(() => MarketRefresh.RunAsync(client, _file));
        Assert.StartsWith($"http://mempool.invalid/{MempoolClient.HeightRoute}: cannot look up mempool.invalid: ", ex.Message, StringComparison.Ordinal);
        AssertUntouched(old);
    }

    [Fact]
    public async Task A_slow_server_is_cut_by_the_time_out_retried_once_and_the_old_file_stays()
    {
        byte[] old = OldFile();
        var routes = Network();
        routes[MempoolClient.PricesRoute] = routes[MempoolClient.PricesRoute] with { Delay = TimeSpan.FromMinutes(1) };
        using var server = Start(routes);
        using var slow = new MempoolClient(server.Url.AbsoluteUri) { Clock = new FixedClock(s_now), Timeout = TimeSpan.FromMilliseconds(300), Backoff = TimeSpan.FromMilliseconds(50) };
        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<MarketRefreshException>(() => MarketRefresh.RunAsync(slow, _file));
        // Two tries of 0.3 s and the back-off: the injected time-out cut them, not the default 10 s nor the server's minute.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(9), $"{clock.Elapsed}");
        Assert.Equal($"{server.Url}{MempoolClient.PricesRoute}: no answer within 0.3 s, twice (0.05 s apart)", ex.Message);
        Assert.Equal(2, server.Requests(MempoolClient.PricesRoute));
        AssertUntouched(old);
    }

    [Fact]
    public async Task A_file_that_is_not_a_defaults_file_is_not_replaced()
    {
        File.WriteAllText(_file, "my notes");
        using var server = Start(Network());
        using var client = Client(server.Url.AbsoluteUri);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => MarketRefresh.RunAsync(client, _file));
        Assert.Contains($"{_file} is not a defaults file, so it is not replaced", ex.Message);
        Assert.Equal("my notes", File.ReadAllText(_file));
        Assert.Equal(0, server.Requests(MempoolClient.HeightRoute));
    }

    [Fact]
    public void The_default_place_follows_xdg_config_home_else_the_home_folder()
    {
        Assert.Equal("/etc/me/htb/market.json", MarketRefresh.DefaultPath("/etc/me", "/home/u"));
        Assert.Equal("/home/u/.config/htb/market.json", MarketRefresh.DefaultPath(null, "/home/u"));
        Assert.Equal("/home/u/.config/htb/market.json", MarketRefresh.DefaultPath("", "/home/u"));
        // The XDG specification ignores a relative path.
        Assert.Equal("/home/u/.config/htb/market.json", MarketRefresh.DefaultPath("config", "/home/u"));
    }

    [Fact]
    public void Compare_and_site_take_the_newer_of_the_built_in_defaults_and_the_refreshed_file()
    {
        var today = new DateOnly(2026, 12, 23);
        string missing = Path.Combine(_folder, "none.json");
        var none = MarketDefaults.Choose(null, missing);
        Assert.Equal("built-in", none.Origin);
        Assert.Equal($"built-in market-defaults.json, collected 2026-12-05 (18 days old); no refreshed file at {missing} (htb market refresh writes it)", none.Describe(today));

        WriteRefreshed("2026-12-20");
        var newer = MarketDefaults.Choose(null, _file);
        Assert.Equal(_file, newer.Origin);
        Assert.Equal(123_456, newer.Get(Input.BtcPrice).Value);
        Assert.Equal($"{_file}, refreshed 2026-12-20 10:30 UTC from http://127.0.0.1:1/ (btc-price; 3 days old); newer than the built-in market-defaults.json (collected 2026-12-05)",
            newer.Describe(today));
        // An input the file lacks is the built-in one, as for any defaults file.
        Assert.Equal(MarketDefaults.Builtin.Get(Input.Difficulty).Value, newer.Get(Input.Difficulty).Value);

        WriteRefreshed("2026-11-30");
        var older = MarketDefaults.Choose(null, _file);
        Assert.Equal("built-in", older.Origin);
        Assert.EndsWith($"newer than the refreshed file {_file} (collected 2026-11-30)", older.Describe(today), StringComparison.Ordinal);

        File.WriteAllText(_file, "{");
        var broken = MarketDefaults.Choose(null, _file);
        Assert.Equal("built-in", broken.Origin);
        Assert.Contains($"the refreshed file is not used: The defaults file {_file} is not valid", broken.Describe(today));

        // The user's file wins over both.
        WriteRefreshed("2026-12-20");
        string mine = Path.Combine(_folder, "mine.json");
        File.Copy(_file, mine);
        Assert.EndsWith("; named by the user", MarketDefaults.Choose(mine, missing).Describe(today), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MarketDefaults.Choose(missing, _file));
    }

    private void WriteRefreshed(string collected) => File.WriteAllText(_file, $$$"""
        {"collected": "{{{collected}}}", "refreshed": ["btc-price"], "refreshed_from": "http://127.0.0.1:1/", "refreshed_at": "{{{collected}}}T10:30:00Z",
         "inputs": {"btc-price": {"value": 123456, "unit": "USD", "date": "{{{collected}}}", "time": "{{{collected}}}T10:00:00Z", "as_of": "x", "source": "y", "url": "http://127.0.0.1:1/api/v1/prices"}},
         "network": {"hashrate": {"value": 1e21, "unit": "H/s"}},
         "asics": [{"model": "Test Miner", "th_s": 100, "j_th": 10, "released": "2027"}]}
        """);

    // A defaults file already in place: the built-in one's text, whose price (60,000 USD) is the previous value.
    private byte[] OldFile()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, MarketDefaults.FileName), _file);
        return File.ReadAllBytes(_file);
    }

    private void AssertUntouched(byte[] old)
    {
        Assert.Equal(old, File.ReadAllBytes(_file));
        Assert.Equal([_file], Directory.GetFiles(_folder));
    }
}
