using System.Globalization;
using System.Text.Json;

namespace HashTensorBench.Economics;

/// <summary>
/// The dated defaults of every market and site input, read from a JSON data file
/// (<c>market-defaults.json</c>, built from <c>shared/data/economics.md</c>): built into the library, copied
/// next to the app as a template, and replaceable by the user's own copy. Each input carries its value
/// (or none, where no published figure was collected), unit, date and source. <c>htb market refresh</c> writes one in
/// the same format with today's network (<see cref="Refresh.MarketRefresh"/>), and <see cref="Choose"/> takes the newer
/// of it and the built-in one.
/// </summary>
public sealed class MarketDefaults
{
    /// <summary>Defaults older than this many days are called stale.</summary>
    public const int StaleAfterDays = 90;

    /// <summary>The file name of the built-in defaults, also the name of the copy beside the app.</summary>
    public const string FileName = "market-defaults.json";

    private static readonly Lazy<MarketDefaults> s_builtin = new(LoadBuiltin);
    private readonly Dictionary<string, MarketInput> _inputs;

    private MarketDefaults(string origin, DateOnly collected, Dictionary<string, MarketInput> inputs, IReadOnlyList<AsicReference> asics, string defaultAsic,
        IReadOnlyList<GpuReference> gpus, GpuReference defaultGpu)
    {
        Gpus = gpus;
        DefaultGpu = defaultGpu;
        Origin = origin;
        Collected = collected;
        _inputs = inputs;
        Asics = asics;
        DefaultAsic = defaultAsic;
    }

    // The same figures, with why they were chosen.
    private MarketDefaults(MarketDefaults other, string choice)
        : this(other.Origin, other.Collected, other._inputs, other.Asics, other.DefaultAsic, other.Gpus, other.DefaultGpu)
    {
        Refreshed = other.Refreshed;
        RefreshedFrom = other.RefreshedFrom;
        RefreshedAt = other.RefreshedAt;
        Choice = choice;
    }

    /// <summary>The defaults built into the library.</summary>
    public static MarketDefaults Builtin => s_builtin.Value;

    /// <summary>Where the defaults were read from: <c>built-in</c> or a file path.</summary>
    public string Origin { get; }

    /// <summary>When the figures were collected.</summary>
    public DateOnly Collected { get; }

    /// <summary>The ASIC reference table.</summary>
    public IReadOnlyList<AsicReference> Asics { get; }

    /// <summary>The ASIC model a site mines with unless told otherwise.</summary>
    public string DefaultAsic { get; }

    /// <summary>The GPU reference table, the most specific names first.</summary>
    public IReadOnlyList<GpuReference> Gpus { get; }

    /// <summary>The GPU a site hosts unless told otherwise; its figures are the GPU inputs' defaults.</summary>
    public GpuReference DefaultGpu { get; }

    /// <summary>The GPU whose name fragments all appear in <paramref name="name"/>, or null.</summary>
    public GpuReference? FindGpu(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Gpus.FirstOrDefault(g => g.Matches(name));
    }

    /// <summary>The inputs <c>htb market refresh</c> read from the network (its top-level <c>refreshed</c>); empty for other files.</summary>
    public IReadOnlyList<string> Refreshed { get; private init; } = [];

    /// <summary>The API the refreshed inputs were read from (<c>refreshed_from</c>); null for other files.</summary>
    public string? RefreshedFrom { get; private init; }

    /// <summary>When they were read (<c>refreshed_at</c>); null for other files.</summary>
    public DateTimeOffset? RefreshedAt { get; private init; }

    /// <summary>Why <see cref="Choose"/> took these defaults; empty when they were loaded directly.</summary>
    public string Choice { get; } = "";

    /// <summary>Every input by its key (the flag's name, such as <c>btc-price</c>).</summary>
    public IReadOnlyDictionary<string, MarketInput> Inputs => _inputs;

    /// <summary>
    /// The value of <paramref name="input"/>: this file's, or the built-in one where a user's file has no entry for it
    /// (an older copy), saying so in its source.
    /// </summary>
    /// <exception cref="FormatException">Neither this file nor the built-in defaults have an entry for <paramref name="input"/>.</exception>
    public MarketInput Get(InputDefinition input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_inputs.TryGetValue(input.Key, out var value))
            return value;
        if (this != Builtin && Builtin._inputs.TryGetValue(input.Key, out var builtin))
            return builtin with { Source = $"{builtin.Source}; built-in default, as {Origin} has no entry \"{input.Key}\"" };
        throw new FormatException($"The defaults ({Origin}) have no entry \"{input.Key}\".");
    }

    /// <summary>The ASIC called <paramref name="model"/> (case and spaces ignored).</summary>
    /// <exception cref="ArgumentException">No ASIC of that name; the message lists the known ones.</exception>
    public AsicReference FindAsic(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        static string Key(string s) => string.Concat(s.Where(char.IsLetterOrDigit)).ToUpperInvariant();
        var found = Asics.FirstOrDefault(a => Key(a.Model) == Key(model));
        if (found is null)
            ThrowHelper.ThrowArgument(nameof(model), $"Unknown ASIC model \"{model}\"; known: {string.Join(", ", Asics.Select(a => a.Model))}.");
        return found;
    }

    /// <summary>The dated defaults older than <see cref="StaleAfterDays"/> on <paramref name="today"/>, oldest first.</summary>
    public IReadOnlyList<(string Key, int AgeDays)> Stale(DateOnly today) =>
        [.. _inputs.Select(p => (p.Key, Age: p.Value.AgeDays(today))).Where(p => p.Age > StaleAfterDays)
            .Select(p => (p.Key, p.Age!.Value)).OrderByDescending(p => p.Item2)];

    /// <summary>
    /// The defaults <c>compare</c> and <c>site</c> price with: <paramref name="file"/> when the user names one; else the newer of
    /// the built-in defaults and <paramref name="refreshedFile"/> (the one <c>htb market refresh</c> writes) by the day each
    /// was collected, the refreshed file on a tie (it read the network that day); the built-in ones when that file is absent
    /// or unreadable, which <see cref="Choice"/> says, as it says why the others were chosen.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="file"/> does not exist or is not a valid defaults file.</exception>
    public static MarketDefaults Choose(string? file, string refreshedFile)
    {
        ArgumentNullException.ThrowIfNull(refreshedFile);
        if (file is not null)
            return new MarketDefaults(Load(file), "named by the user");
        if (!File.Exists(refreshedFile))
            return new MarketDefaults(Builtin, $"no refreshed file at {refreshedFile} (htb market refresh writes it)");
        MarketDefaults refreshed;
        try
        {
            refreshed = Load(refreshedFile);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            // A broken refreshed file must not stop an offline run: the built-in figures still price it, and the line says why.
            return new MarketDefaults(Builtin, $"the refreshed file is not used: {ex.Message}");
        }
        return refreshed.Collected >= Builtin.Collected
            ? new MarketDefaults(refreshed, F($"newer than the built-in {FileName} (collected {Builtin.Collected:yyyy-MM-dd})"))
            : new MarketDefaults(Builtin, F($"newer than the refreshed file {refreshedFile} (collected {refreshed.Collected:yyyy-MM-dd})"));
    }

    /// <summary>
    /// Which defaults these are and how old on <paramref name="today"/>, in one line: the file, when it was collected (a
    /// refreshed file: which inputs were read from where, and when), and <see cref="Choice"/>.
    /// </summary>
    public string Describe(DateOnly today)
    {
        string name = Origin == "built-in" ? $"built-in {FileName}" : Origin;
        string line = RefreshedAt is DateTimeOffset at
            ? F($"{name}, refreshed {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC from {RefreshedFrom} ({string.Join(", ", Refreshed)}{Age(DateOnly.FromDateTime(at.UtcDateTime), today, "; ", "")})")
            : F($"{name}, collected {Collected:yyyy-MM-dd}{Age(Collected, today, " (", ")")}");
        return Choice.Length == 0 ? line : $"{line}; {Choice}";
    }

    // "N days old" between its brackets, or nothing for a day after today (a clock set back, a test's fixed day).
    private static string Age(DateOnly day, DateOnly today, string open, string close) =>
        today >= day ? F($"{open}{today.DayNumber - day.DayNumber} days old{close}") : "";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads a defaults file.</summary>
    /// <exception cref="ArgumentException">The file does not exist, is a folder, or is not a valid defaults file.</exception>
    public static MarketDefaults Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
            ThrowHelper.ThrowArgument(nameof(path), $"The defaults file {path} is a folder, not a file.");
        if (!File.Exists(path))
            ThrowHelper.ThrowArgument(nameof(path), $"The defaults file {path} does not exist.");
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Reads defaults from <paramref name="stream"/>; <paramref name="origin"/> names it in messages.</summary>
    /// <exception cref="ArgumentException">Not a valid defaults file.</exception>
    public static MarketDefaults Load(Stream stream, string origin)
    {
        try
        {
            using var document = JsonDocument.Parse(stream);
            return Parse(document.RootElement, origin);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"The defaults file {origin} is not valid: {ex.Message}", ex);
        }
    }

    private static MarketDefaults Parse(JsonElement root, string origin)
    {
        var collected = DateOnly.ParseExact(root.GetProperty("collected").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var inputs = new Dictionary<string, MarketInput>(StringComparer.Ordinal);
        foreach (var property in root.GetProperty("inputs").EnumerateObject())
        {
            if (Input.Find(property.Name) is not { Optional: false })
                throw new FormatException($"unknown input \"{property.Name}\"; known: {string.Join(", ", Input.All.Where(d => !d.Optional).Select(d => d.Key))}.");
            var e = property.Value;
            string unit = e.GetProperty("unit").GetString()!;
            string source = e.GetProperty("source").GetString()!;
            string asOf = e.GetProperty("as_of").GetString()!;
            DateOnly? date = e.TryGetProperty("date", out var d) && d.ValueKind == JsonValueKind.String
                ? DateOnly.ParseExact(d.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture)
                : null;
            var value = e.GetProperty("value");
            if (value.ValueKind == JsonValueKind.Null)
            {
                inputs[property.Name] = MarketInput.Unavailable(unit, source);
                continue;
            }
            double number = value.GetDouble();
            if (!double.IsFinite(number))
                throw new FormatException($"\"{property.Name}\" must be a finite number.");
            inputs[property.Name] = new MarketInput(number, unit, asOf, source) { Date = date };
        }
        string asicSource = root.TryGetProperty("asic-source", out var s) ? s.GetString() ?? "" : "";
        var asics = root.GetProperty("asics").EnumerateArray().Select(a => new AsicReference(
            a.GetProperty("model").GetString()!, a.GetProperty("th_s").GetDouble(), a.GetProperty("j_th").GetDouble(),
            a.GetProperty("released").GetString()!) { Source = asicSource }).ToArray();
        if (asics.Any(a => a.TerahashesPerSecond <= 0 || a.JoulesPerTerahash <= 0))
            throw new FormatException("every ASIC needs a positive th_s and j_th.");
        string defaultAsic = root.TryGetProperty("default-asic", out var da) ? da.GetString()! : asics[0].Model;
        var gpus = root.TryGetProperty("gpus", out var g) ? [.. g.EnumerateArray().Select(ParseGpu)] : Builtin.Gpus;
        var defaultGpu = root.TryGetProperty("default-gpu", out var dg)
            ? gpus.FirstOrDefault(x => x.Model == dg.GetString()) ?? throw new FormatException($"the default GPU \"{dg.GetString()}\" is not in its gpus.")
            : Builtin.DefaultGpu;
        // The GPU inputs' defaults are the default GPU's figures, unless the file sets them itself.
        inputs.TryAdd(Input.GpuWatts.Key, defaultGpu.WattsInput(Input.GpuWatts));
        inputs.TryAdd(Input.GpuHashWatts.Key, defaultGpu.WattsInput(Input.GpuHashWatts));
        inputs.TryAdd(Input.GpuHashRate.Key, defaultGpu.HashRateInput);
        inputs.TryAdd(Input.GpuRent.Key, defaultGpu.Rent);
        // What htb market refresh adds; its "network" (figures that are not inputs) is for the reader and not read here.
        string[] refreshed = root.TryGetProperty("refreshed", out var r) ? [.. r.EnumerateArray().Select(k => k.GetString()!)] : [];
        if (refreshed.FirstOrDefault(k => !inputs.ContainsKey(k)) is { } missing)
            throw new FormatException($"\"refreshed\" names \"{missing}\", which has no entry in \"inputs\".");
        return new MarketDefaults(origin, collected, inputs, asics, defaultAsic, gpus, defaultGpu)
        {
            Refreshed = refreshed,
            RefreshedFrom = root.TryGetProperty("refreshed_from", out var from) ? from.GetString() : null,
            RefreshedAt = root.TryGetProperty("refreshed_at", out var at)
                ? DateTimeOffset.Parse(at.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : null,
        };
    }

    private static GpuReference ParseGpu(JsonElement g)
    {
        double Positive(string name) => g.GetProperty(name).GetDouble() is var v && v > 0 && double.IsFinite(v)
            ? v : throw new FormatException($"every GPU needs a positive {name}.");
        string model = g.GetProperty("model").GetString()!;
        DateOnly? date = g.TryGetProperty("rent_date", out var d) && d.ValueKind == JsonValueKind.String
            ? DateOnly.ParseExact(d.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;
        var rent = new MarketInput(Positive("rent"), "USD/h", g.GetProperty("rent_as_of").GetString()!, $"typical rent {g.GetProperty("rent_range").GetString()}") { Date = date };
        var hashes = g.GetProperty("sha256d_hs");
        return new GpuReference(model, [.. g.GetProperty("match").EnumerateArray().Select(m => m.GetString()!)], Positive("watts"),
            Positive("fp16_tflops") * 1e12, Positive("bf16_tflops") * 1e12, Positive("int8_tops") * 1e12,
            hashes.ValueKind == JsonValueKind.Null ? null : hashes.GetDouble(), rent, g.GetProperty("source").GetString()!);
    }

    /// <summary>The built-in file's text as a stream, for <c>htb market refresh</c> to copy the inputs it does not read.</summary>
    internal static Stream OpenBuiltin() => typeof(MarketDefaults).Assembly.GetManifestResourceStream(FileName)
        ?? throw new InvalidOperationException($"The built-in {FileName} is missing from the library.");

    private static MarketDefaults LoadBuiltin()
    {
        using var stream = OpenBuiltin();
        return Load(stream, "built-in");
    }
}
