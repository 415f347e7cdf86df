using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace HashTensorBench.Economics.Refresh;

/// <summary>
/// Reads today's network from a mempool-compatible API: the public mempool.space or a self-hosted mempool (its
/// mining routes need the backend's indexing on). The routes and the shapes of their answers are taken from the
/// backend's source, repository mempool/mempool at commit 3b6ed8bde7826e80283bcd87e11478ce15c93ec7 (2026-08-06),
/// <c>backend/src/</c>, where <c>config.ts</c> sets the routes' prefix <c>/api/v1/</c>:
/// <list type="bullet">
/// <item><c>GET /api/v1/blocks/tip/height</c>: the tip's height as a bare number, <c>text/plain</c>
/// (<c>api/bitcoin/bitcoin.routes.ts</c>, <c>getBlockTipHeight</c>).</item>
/// <item><c>GET /api/v1/mining/hashrate/24h</c>: <c>{hashrates, difficulty, currentHashrate, currentDifficulty}</c>, the last
/// two from Bitcoin Core's <c>getnetworkhashps 1008</c> and <c>getdifficulty</c>, zero when Core cannot be asked
/// (<c>api/mining/mining-routes.ts</c>, <c>$getHistoricalHashrate</c>).</item>
/// <item><c>GET /api/v1/difficulty-adjustment</c>: <c>{progressPercent, difficultyChange (%), estimatedRetargetDate (Unix ms),
/// remainingBlocks, remainingTime, previousRetarget, previousTime, nextRetargetHeight, timeAvg, adjustedTimeAvg, timeOffset,
/// expectedBlocks}</c> (<c>bitcoin.routes.ts</c>, <c>getDifficultyChange</c>; <c>api/difficulty-adjustment.ts</c>).</item>
/// <item><c>GET /api/v1/mining/reward-stats/144</c>: <c>{startBlock, endBlock, totalReward, totalFee, totalTx}</c> over the
/// last 144 blocks, fees in satoshis; the sums are MySQL DECIMALs that mysql2 with <c>supportBigNumbers</c> sends as
/// strings (<c>mining-routes.ts</c>, <c>$getRewardStats</c>; <c>repositories/BlocksRepository.ts</c>, <c>$getBlockStats</c>;
/// <c>database.ts</c>; the frontend's API docs show <c>"totalFee": "1311748254"</c>).</item>
/// <item><c>GET /api/v1/prices</c>: <c>{time (Unix s), USD, EUR, …}</c>, every price −1 when the server has none
/// (<c>api/prices/prices.routes.ts</c>; <c>tasks/price-updater.ts</c>, <c>getLatestPrices</c>;
/// <c>repositories/PricesRepository.ts</c>, <c>ApiPrice</c>).</item>
/// </list>
/// An error is <c>{"error": message}</c> (<c>utils/api.ts</c>, <c>handleError</c>), which the failure's message quotes.
/// Each request has <see cref="Timeout"/> to answer, and one retry after <see cref="Backoff"/> when it timed out or could
/// not connect; an HTTP error, a failed name lookup or a bad body is not retried.
/// </summary>
public sealed class MempoolClient : IDisposable
{
    /// <summary>The routes read, relative to the base URL.</summary>
    public const string HeightRoute = "api/v1/blocks/tip/height", HashrateRoute = "api/v1/mining/hashrate/24h",
        AdjustmentRoute = "api/v1/difficulty-adjustment", RewardStatsRoute = "api/v1/mining/reward-stats/144", PricesRoute = "api/v1/prices";

    /// <summary>The public mempool, used unless the user names another.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://mempool.space/");

    private const double SatoshisPerBtc = 1e8;
    private readonly HttpClient _http;

    /// <summary>A client of the API at <paramref name="baseUrl"/>; <paramref name="handler"/> replaces the HTTP stack (tests).</summary>
    /// <exception cref="ArgumentException"><paramref name="baseUrl"/> is not an absolute http or https URL.</exception>
    public MempoolClient(string baseUrl, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            ThrowHelper.ThrowArgument(nameof(baseUrl), $"The mempool URL \"{baseUrl}\" is not an http or https URL.");
        // The routes are relative to it: a self-hosted mempool may sit under a path (https://host/mempool/).
        BaseUrl = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        _http = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: handler is null)
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = 1 << 20,
        };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("HashTensorBench", typeof(MempoolClient).Assembly.GetName().Version?.ToString(3)));
    }

    /// <summary>The API's base URL, ending in <c>/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>How long one request may take, body included (10 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait before the one retry of a request that timed out or could not connect (1 s).</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock the figures are dated by.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Reads the five routes, one after the other, and stops at the first failure.</summary>
    /// <exception cref="MarketRefreshException">A route failed or answered a figure that cannot be (such as a difficulty of 0).</exception>
    public async Task<NetworkSnapshot> ReadAsync(CancellationToken cancellationToken = default)
    {
        var readAt = Clock.GetUtcNow();

        var (heightUrl, heightAnswer) = await GetJsonAsync(HeightRoute, cancellationToken).ConfigureAwait(false);
        double height;
        using (heightAnswer)
        {
            var root = heightAnswer.RootElement;
            if (root.ValueKind != JsonValueKind.Number || !root.TryGetDouble(out height) || height < 0 || height != Math.Floor(height))
                throw new MarketRefreshException(heightUrl, $"the answer is not a block height: {Shorten(root.GetRawText())}");
        }

        var (hashrateUrl, hashrateAnswer) = await GetJsonAsync(HashrateRoute, cancellationToken).ConfigureAwait(false);
        double difficulty, hashrate;
        using (hashrateAnswer)
        {
            difficulty = Positive(hashrateUrl, "currentDifficulty", Number(hashrateAnswer, "currentDifficulty", hashrateUrl), "difficulty", "");
            hashrate = Positive(hashrateUrl, "currentHashrate", Number(hashrateAnswer, "currentHashrate", hashrateUrl), "hash rate", " H/s");
        }

        var (adjustmentUrl, adjustmentAnswer) = await GetJsonAsync(AdjustmentRoute, cancellationToken).ConfigureAwait(false);
        double change, retarget, retargetHeight;
        using (adjustmentAnswer)
        {
            change = Number(adjustmentAnswer, "difficultyChange", adjustmentUrl);
            retarget = Positive(adjustmentUrl, "estimatedRetargetDate", Number(adjustmentAnswer, "estimatedRetargetDate", adjustmentUrl), "retarget date", " ms");
            retargetHeight = Positive(adjustmentUrl, "nextRetargetHeight", Number(adjustmentAnswer, "nextRetargetHeight", adjustmentUrl), "retarget height", "");
        }
        var retargetDate = DateTimeOffset.FromUnixTimeMilliseconds((long)retarget);

        var (feesUrl, feesAnswer) = await GetJsonAsync(RewardStatsRoute, cancellationToken).ConfigureAwait(false);
        double first, last, totalFee;
        using (feesAnswer)
        {
            first = Number(feesAnswer, "startBlock", feesUrl);
            last = Number(feesAnswer, "endBlock", feesUrl);
            totalFee = Number(feesAnswer, "totalFee", feesUrl);
        }
        double blocks = last - first + 1;
        if (blocks < 1 || totalFee < 0)
            throw new MarketRefreshException(feesUrl, F($"implausible fees: {totalFee:G} satoshis over blocks {first:F0} to {last:F0}"));
        double fees = totalFee / SatoshisPerBtc / blocks;

        var (priceUrl, priceAnswer) = await GetJsonAsync(PricesRoute, cancellationToken).ConfigureAwait(false);
        double usd, time;
        using (priceAnswer)
        {
            usd = Number(priceAnswer, "USD", priceUrl);
            // The backend answers −1 for every currency until it has fetched a price (getEmptyPricesObj).
            if (usd <= 0)
                throw new MarketRefreshException(priceUrl, F($"implausible BTC price {usd:G} USD: it must be more than 0 (mempool answers -1 when it has no price)"));
            time = Number(priceAnswer, "time", priceUrl);
        }
        var priceTime = time > 0 ? DateTimeOffset.FromUnixTimeSeconds((long)time) : readAt;

        return new NetworkSnapshot(BaseUrl, readAt,
            new NetworkFigure(height, readAt, heightUrl, "the tip"),
            new NetworkFigure(difficulty, readAt, hashrateUrl, "currentDifficulty"),
            new NetworkFigure(hashrate, readAt, hashrateUrl, "Bitcoin Core's estimate over the last 1,008 blocks"),
            new NetworkFigure(change, retargetDate, adjustmentUrl, F($"at block {retargetHeight:N0}, estimated for {retargetDate.UtcDateTime:yyyy-MM-dd HH:mm} UTC")),
            new NetworkFigure(fees, readAt, feesUrl, F($"blocks {first:N0}–{last:N0} ({blocks:N0}): {totalFee / SatoshisPerBtc:G6} BTC of fees ÷ {blocks:N0}")),
            new NetworkFigure(usd, priceTime, priceUrl, "USD"));
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    // One GET, its body parsed as JSON (the tip height's bare number is JSON too), with one retry of a time-out or a
    // failed connection.
    private async Task<(Uri Url, JsonDocument Answer)> GetJsonAsync(string route, CancellationToken cancellationToken)
    {
        var url = new Uri(BaseUrl, route);
        for (int attempt = 1; ; attempt++)
        {
            string failure;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Timeout);
            try
            {
                using var response = await _http.GetAsync(url, deadline.Token).ConfigureAwait(false);
                string body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                    throw new MarketRefreshException(url, $"HTTP {(int)response.StatusCode} ({response.ReasonPhrase}){(body.Length > 0 ? ": " + Shorten(ErrorOf(body)) : "")}");
                try
                {
                    return (url, JsonDocument.Parse(body));
                }
                catch (JsonException ex)
                {
                    throw new MarketRefreshException(url, $"the answer is not JSON ({Shorten(body)})", ex);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = F($"no answer within {Timeout.TotalSeconds:G} s");
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.NameResolutionError)
            {
                throw new MarketRefreshException(url, $"cannot look up {url.Host}: {ex.Message}", ex);
            }
            catch (HttpRequestException ex) when (ex.StatusCode is null)
            {
                failure = $"cannot connect: {ex.Message}";
            }
            if (attempt == 2)
                throw new MarketRefreshException(url, F($"{failure}, twice ({Backoff.TotalSeconds:G} s apart)"));
            await Task.Delay(Backoff, cancellationToken).ConfigureAwait(false);
        }
    }

    // The backend's errors are {"error": message} to a client that accepts JSON (utils/api.ts, handleError); a proxy's are text.
    private static string ErrorOf(string body)
    {
        try
        {
            using var answer = JsonDocument.Parse(body);
            if (answer.RootElement.ValueKind == JsonValueKind.Object && answer.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
                return error.GetString()!;
        }
        catch (JsonException)
        {
        }
        return body;
    }

    private static double Number(JsonDocument answer, string name, Uri url)
    {
        var root = answer.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var e))
            throw new MarketRefreshException(url, $"the answer has no \"{name}\": {Shorten(root.GetRawText())}");
        // reward-stats' sums come as strings (see the class); a number in a string is read the same wherever it comes.
        if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double value) && double.IsFinite(value))
            return value;
        if (e.ValueKind == JsonValueKind.String && double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
            return value;
        throw new MarketRefreshException(url, $"\"{name}\" is not a number: {Shorten(e.GetRawText())}");
    }

    private static double Positive(Uri url, string name, double value, string label, string unit) => value > 0
        ? value
        : throw new MarketRefreshException(url, F($"implausible {label} {value:G}{unit} (\"{name}\"): it must be more than 0"));

    // A body in a one-line message: its first 100 characters, line breaks as spaces.
    private static string Shorten(string text)
    {
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= 100 ? text : string.Concat(text.AsSpan(0, 100), "…");
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
