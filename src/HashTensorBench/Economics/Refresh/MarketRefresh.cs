using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HashTensorBench.Economics.Refresh;

/// <summary>
/// <c>htb market refresh</c> as a library: reads today's network (<see cref="MempoolClient"/>), refuses implausible
/// figures, and writes a defaults file in <c>market-defaults.json</c>'s format that <see cref="MarketDefaults"/> reads:
/// the inputs in <see cref="Inputs"/> with the time and URL they were read at, every other input as built in with its
/// own date, a top-level <c>refreshed</c> list and <c>refreshed_from</c> URL, and the figures that are not inputs (the
/// hash rate, the next adjustment) under <c>network</c>. The file is written whole or not at all.
/// </summary>
public static class MarketRefresh
{
    /// <summary>The inputs a refresh reads from the network.</summary>
    public static IReadOnlyList<InputDefinition> Inputs { get; } = [Input.BtcPrice, Input.Difficulty, Input.Fees, Input.Height];

    /// <summary>How far a new BTC price may be from the one it replaces, either way, before it is taken for a wrong answer.</summary>
    public const double MaxPriceRatio = 100;

    /// <summary>Where the refreshed file lives unless told otherwise: <c>$XDG_CONFIG_HOME/htb/market.json</c>, else <c>~/.config/htb/market.json</c>.</summary>
    public static string DefaultPath() =>
        DefaultPath(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    // The XDG base directory specification ignores a relative XDG_CONFIG_HOME.
    internal static string DefaultPath(string? xdgConfigHome, string home) =>
        Path.Combine(string.IsNullOrEmpty(xdgConfigHome) || !Path.IsPathRooted(xdgConfigHome) ? Path.Combine(home, ".config") : xdgConfigHome, "htb", "market.json");

    /// <summary>
    /// Reads the network with <paramref name="client"/>, checks it against the defaults at <paramref name="path"/> (the
    /// built-in ones when there is no file), and replaces that file with the refreshed one. Any failure leaves the old file
    /// as it was.
    /// </summary>
    /// <returns>What was read.</returns>
    /// <exception cref="MarketRefreshException">A route failed or answered an implausible figure.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> holds something other than a defaults file, or cannot be written.</exception>
    public static async Task<NetworkSnapshot> RunAsync(MempoolClient client, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(path);
        var previous = Previous(path);
        var snapshot = await client.ReadAsync(cancellationToken).ConfigureAwait(false);
        Check(snapshot, previous);
        WriteAtomically(path, Format(snapshot));
        return snapshot;
    }

    // Refuses figures that cannot be today's: a block height below the built-in defaults' (the chain does not shrink: a
    // server on another chain, or far behind), and a BTC price more than MaxPriceRatio times above or below the one it
    // replaces (another currency, cents, a broken feed). Each message names the URL.
    private static void Check(NetworkSnapshot snapshot, MarketDefaults previous)
    {
        double floor = MarketDefaults.Builtin.Get(Input.Height).Value;
        if (snapshot.Height.Value < floor)
            throw new MarketRefreshException(snapshot.Height.Url, F($"implausible block height {snapshot.Height.Value:N0}: below the defaults' {floor:N0}"));
        var price = previous.Get(Input.BtcPrice);
        double ratio = snapshot.Price.Value / price.Value;
        if (price.HasValue && ratio is > MaxPriceRatio or < 1 / MaxPriceRatio)
        {
            throw new MarketRefreshException(snapshot.Price.Url,
                F($"implausible BTC price {snapshot.Price.Value:N0} USD: more than {MaxPriceRatio:G} times {(ratio > 1 ? "above" : "below")} the previous {price.Value:N0} USD ({previous.Origin})"));
        }
    }

    // The refreshed file's bytes: the built-in file with the snapshot's figures in.
    private static byte[] Format(NetworkSnapshot snapshot)
    {
        JsonObject builtin;
        using (var stream = MarketDefaults.OpenBuiltin())
            builtin = JsonNode.Parse(stream)!.AsObject();
        var inputs = builtin["inputs"]!.AsObject();
        inputs[Input.BtcPrice.Key] = Entry(Input.BtcPrice, snapshot.Price, F($"{snapshot.Price.Time.UtcDateTime:yyyy-MM-dd HH:mm} UTC"));
        inputs[Input.Difficulty.Key] = Entry(Input.Difficulty, snapshot.Difficulty, F($"{snapshot.ReadAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC"));
        inputs[Input.Fees.Key] = Entry(Input.Fees, snapshot.Fees, F($"the last 144 blocks to {snapshot.ReadAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC"));
        inputs[Input.Height.Key] = Entry(Input.Height, snapshot.Height, F($"the tip at {snapshot.ReadAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC"));

        var root = new JsonObject
        {
            ["about"] = $"Written by htb market refresh: the inputs in \"refreshed\" were read from {snapshot.BaseUrl} at the time each gives, with the URL it came from; every other input is htb's built-in default with its own date. \"network\" holds figures read with them that are not inputs. compare and site use this file when it is newer than their built-in defaults; --defaults FILE names it explicitly.",
            ["collected"] = F($"{snapshot.ReadAt.UtcDateTime:yyyy-MM-dd}"),
            ["refreshed"] = new JsonArray([.. Inputs.Select(i => JsonValue.Create(i.Key))]),
            ["refreshed_from"] = snapshot.BaseUrl.AbsoluteUri,
            ["refreshed_at"] = Time(snapshot.ReadAt),
        };
        foreach (var (name, value) in builtin)
        {
            if (name is "about" or "collected")
                continue;
            root[name] = value?.DeepClone();
            if (name == "inputs")
            {
                root["network"] = new JsonObject
                {
                    ["hashrate"] = Entry("H/s", snapshot.Hashrate, F($"{snapshot.ReadAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC")),
                    ["next-difficulty-adjustment"] = Entry("%", snapshot.NextAdjustment, snapshot.NextAdjustment.Note, "difficultyChange"),
                };
            }
        }
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString(options) + "\n");
    }

    private static JsonObject Entry(InputDefinition input, NetworkFigure figure, string asOf) => Entry(input.Unit, figure, asOf);

    // An input's entry as market-defaults.json has it (value, unit, date, as_of, source), with the moment and the URL;
    // the source says what the figure is unless told (where as_of says it already).
    private static JsonObject Entry(string unit, NetworkFigure figure, string asOf, string? what = null) => new()
    {
        ["value"] = figure.Value,
        ["unit"] = unit,
        ["date"] = F($"{figure.Time.UtcDateTime:yyyy-MM-dd}"),
        ["time"] = Time(figure.Time),
        ["as_of"] = asOf,
        ["source"] = $"{figure.Url} ({what ?? figure.Note})",
        ["url"] = figure.Url.AbsoluteUri,
    };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    // The defaults a refresh replaces, to compare the price with: the file's, or the built-in ones when there is none.
    // Anything else at the path is refused, not overwritten: it may be a file the user meant to keep.
    private static MarketDefaults Previous(string path)
    {
        if (!File.Exists(path))
            return MarketDefaults.Builtin;
        try
        {
            return MarketDefaults.Load(path);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"{path} is not a defaults file, so it is not replaced; remove it or write elsewhere. {ex.Message}", nameof(path), ex);
        }
    }

    // A temporary file in the same folder, renamed over the old one: rename is atomic on one file system, so a reader
    // sees the old file or the new one, and a failure (or Ctrl+C) before the rename leaves the old file whole.
    private static void WriteAtomically(string path, byte[] bytes)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
            throw new ArgumentException($"cannot write {full}: {ex.Message}", nameof(path), ex);
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
