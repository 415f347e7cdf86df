using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using HashTensorBench.Economics.Refresh;

namespace HashTensorBench.Tests.Economics.Refresh;

/// <summary>
/// A mempool API on 127.0.0.1 (HttpListener, no package): each route answers with a status, a content type, a body and
/// an optional delay. <see cref="Network"/> holds bodies in the shapes the backend's source writes them
/// (mempool/mempool at 3b6ed8bde7826e80283bcd87e11478ce15c93ec7, backend/src/api/; see <see cref="MempoolClient"/>).
/// </summary>
internal sealed class MempoolTestServer : IDisposable
{
    public sealed record Route(int Status, string ContentType, string Body, TimeSpan Delay = default);

    private readonly HttpListener _listener;
    private readonly Dictionary<string, Route> _routes;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _requests = new();

    private MempoolTestServer(HttpListener listener, Uri url, Dictionary<string, Route> routes)
    {
        _listener = listener;
        _routes = routes;
        Url = url;
        _ = Task.Run(ServeAsync);
    }

    /// <summary>The base URL, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Url { get; }

    /// <summary>How often <paramref name="route"/> was asked for.</summary>
    public int Requests(string route) => _requests.Count(r => r == route);

    // The tip 957,000 on 2026-12-20; difficulty 150 T; 36 BTC of fees over the last 144 blocks (0.25 a block); 150,000 USD.
    public const double Height = 957_000, Difficulty = 150e12, Hashrate = 1.0e21, FeesPerBlock = 0.25, Price = 150_000, Change = 2.5;
    public const long PriceTime = 1_797_760_800; // 2026-12-20 10:00 UTC

    /// <summary>Every route the client reads, answering as a healthy mainnet mempool does.</summary>
    public static Dictionary<string, Route> Network() => new()
    {
        // bitcoin.routes.ts getBlockTipHeight: res.send(result.toString()) with content-type text/plain.
        [MempoolClient.HeightRoute] = new(200, "text/plain", "957000"),
        // mining-routes.ts $getHistoricalHashrate: {hashrates, difficulty, currentHashrate, currentDifficulty}.
        [MempoolClient.HashrateRoute] = Json("""
            {"hashrates":[{"timestamp":1797724800,"avgHashrate":9.8e20}],
             "difficulty":[{"time":1797300000,"height":955584,"difficulty":133870000000000,"adjustment":1.0}],
             "currentHashrate":1.0e21,"currentDifficulty":150000000000000}
            """),
        // difficulty-adjustment.ts calcDifficultyAdjustment's object: 1,416 of 2,016 blocks into the epoch.
        [MempoolClient.AdjustmentRoute] = Json("""
            {"progressPercent":70.23809523809523,"difficultyChange":2.5,"estimatedRetargetDate":1798117200000,"remainingBlocks":600,
             "remainingTime":356400000,"previousRetarget":-1.2,"previousTime":1796900000,"nextRetargetHeight":957600,"timeAvg":594000,
             "adjustedTimeAvg":594000,"timeOffset":0,"expectedBlocks":1433.3}
            """),
        // BlocksRepository.$getBlockStats: MIN/MAX heights as numbers, SUMs as DECIMAL strings.
        [MempoolClient.RewardStatsRoute] = Json("""{"startBlock":956857,"endBlock":957000,"totalReward":"63600000000","totalFee":"3600000000","totalTx":"540000"}"""),
        // price-updater.ts getLatestPrices: ApiPrice, time in Unix seconds.
        [MempoolClient.PricesRoute] = Json("""
            {"time":1797760800,"USD":150000,"EUR":128000,"GBP":112000,"CAD":206000,"CHF":119000,"AUD":229000,"JPY":23400000}
            """),
    };

    public static Route Json(string body, int status = 200) => new(status, "application/json; charset=utf-8", body);

    /// <summary>Listens on a free port of 127.0.0.1.</summary>
    public static MempoolTestServer Start(Dictionary<string, Route> routes)
    {
        for (int attempt = 0; ; attempt++)
        {
            int port = FreePort();
            var url = new Uri($"http://127.0.0.1:{port}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(url.AbsoluteUri);
            try
            {
                listener.Start();
                return new MempoolTestServer(listener, url, routes);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                // Another process took the port between the probe and the start.
                listener.Close();
            }
        }
    }

    /// <summary>
    /// A port of 127.0.0.1 held by a socket that does not listen, so a connection is refused and no other test's server can
    /// take the port while it is held.
    /// </summary>
    public static Socket RefusingPort(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        string route = context.Request.Url!.AbsolutePath.TrimStart('/');
        _requests.Enqueue(route);
        var answer = _routes.TryGetValue(route, out var r) ? r : new Route(404, "text/plain", "Not found");
        try
        {
            if (answer.Delay > TimeSpan.Zero)
                await Task.Delay(answer.Delay, _stop.Token);
            byte[] body = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType;
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client gave up (a time-out test) or the server is stopping.
            context.Response.Abort();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        // _stop is left to the collector: an answer still waiting on its token must see it cancelled, not disposed.
        _listener.Close();
    }
}
