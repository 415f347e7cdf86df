using System.Globalization;

namespace HashTensorBench.Economics.Refresh;

/// <summary>One figure read from the API: its value, the moment it refers to, the URL it came from, and what it is.</summary>
/// <param name="Value">The value, in the unit of the input it refreshes (BTC for fees, USD for the price, H/s for the hash rate).</param>
/// <param name="Time">The moment the value refers to: the price's own timestamp, the estimated retarget for the next adjustment, else when it was read.</param>
/// <param name="Url">The URL it was read from.</param>
/// <param name="Note">What it is, in words: <c>blocks 956,857–957,000 (144): 36 BTC of fees ÷ 144</c>.</param>
public sealed record NetworkFigure(double Value, DateTimeOffset Time, Uri Url, string Note);

/// <summary>Today's network as a mempool-compatible API answered, read by <see cref="MempoolClient"/>.</summary>
/// <param name="BaseUrl">The API's base URL.</param>
/// <param name="ReadAt">When the reading started.</param>
/// <param name="Height">The tip's block height.</param>
/// <param name="Difficulty">The current difficulty.</param>
/// <param name="Hashrate">The network's hash rate, H/s (Bitcoin Core's estimate over 1,008 blocks); not an input.</param>
/// <param name="NextAdjustment">The next difficulty adjustment's estimated change, in percent; not an input.</param>
/// <param name="Fees">The fees per block, BTC, averaged over the last 144 blocks.</param>
/// <param name="Price">The BTC price in USD.</param>
public sealed record NetworkSnapshot(Uri BaseUrl, DateTimeOffset ReadAt, NetworkFigure Height, NetworkFigure Difficulty, NetworkFigure Hashrate,
    NetworkFigure NextAdjustment, NetworkFigure Fees, NetworkFigure Price)
{
    /// <summary>Each figure in one line, for the console.</summary>
    public IEnumerable<string> Lines()
    {
        yield return F($"block height {Height.Value:N0} ({Height.Url})");
        yield return F($"difficulty {Difficulty.Value:G6} ({Difficulty.Url})");
        yield return F($"fees {Fees.Value:G4} BTC per block, {Fees.Note} ({Fees.Url})");
        yield return F($"BTC price {Price.Value:N0} USD at {Price.Time.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({Price.Url})");
        yield return F($"hash rate {Hashrate.Value / 1e18:N1} EH/s, {Hashrate.Note} (not an input; {Hashrate.Url})");
        yield return F($"next difficulty adjustment {NextAdjustment.Value:+0.00;-0.00} %, {NextAdjustment.Note} (not an input; {NextAdjustment.Url})");
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
