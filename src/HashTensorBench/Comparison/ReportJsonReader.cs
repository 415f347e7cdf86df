using System.Globalization;
using System.Text.Json;
using HashTensorBench.Economics.Site;

namespace HashTensorBench.Comparison;

/// <summary>
/// Reads what <see cref="ReportJson"/> writes: one <c>report.json</c> as a <see cref="ReportDocument"/>, or the reports of
/// many nodes as the measured devices <c>htb site</c> prices (<see cref="Merge"/>).
/// </summary>
public static class ReportJsonReader
{
    /// <summary>Reads the report at <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The file is missing or a folder, is not JSON or not a compare report, or is of a newer version.</exception>
    public static ReportDocument Read(string path) => ReadFile(path, nameof(path));

    /// <summary>Reads one report from <paramref name="stream"/>; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="FormatException">Not JSON, not a compare report, or of a version newer than <see cref="ReportJson.Version"/>.</exception>
    public static ReportDocument Read(Stream stream, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(stream);
            return Read(document.RootElement, source);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException($"{source} is not a report of {ReportJson.Tool} ({ex.Message.ReplaceLineEndings(" ")})", ex);
        }
    }

    /// <summary>
    /// Reads the reports at <paramref name="paths"/> and merges their devices by model. A partial report (a <c>--quick</c>
    /// smoke run, whose 1 s windows and small matrices are not a node's rate, or one cancelled half-way) is left out unless
    /// <paramref name="includePartial"/>; either way the result lists it.
    /// </summary>
    /// <exception cref="ArgumentException">A report cannot be read (<see cref="Read(string)"/>), or every report is partial and none may be merged.</exception>
    public static MergedReports Merge(IReadOnlyList<string> paths, bool includePartial = false)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
            throw new ArgumentException($"name at least one report.json of {ReportJson.Tool}.", "reports");
        var devices = new List<MeasuredDevice>();
        var merged = new List<string>();
        var partial = new List<(string, string, bool)>();
        foreach (string path in paths)
        {
            var report = ReadFile(path, "reports");
            if (report.Partial is { } why)
                partial.Add((path, why, includePartial));
            if (report.Partial is null || includePartial)
            {
                devices.AddRange(report.Devices.Select(d => Measured(path, report.Generated, d)));
                merged.Add(path);
            }
        }
        if (merged.Count == 0)
            throw new ArgumentException($"every report is partial ({string.Join("; ", partial.Select(p => $"{p.Item1}: {p.Item2}"))}); measure a full compare run, or merge the partial ones too.", "include-partial");
        return ReportMerge.Merge(merged, devices) with { Partial = partial };
    }

    // The figures site prices a device by: sha256d's rate and power, and those of the GEMM the report priced AI by (a
    // report older than --ai-format names none: its fastest GEMM). Only measured values count.
    private static MeasuredDevice Measured(string path, string generated, ReportDevice device)
    {
        var measured = device.Workloads.Where(w => w.IsMeasured).ToArray();
        var hash = measured.FirstOrDefault(w => w.Workload == "sha256d");
        var gemm = device.AiWorkload is { } priced
            ? measured.FirstOrDefault(w => w.Workload == priced)
            : measured.Where(w => w.Workload.StartsWith("gemm", StringComparison.Ordinal)).MaxBy(w => w.Rate?.Measured ?? 0);
        return new MeasuredDevice(path, generated, device.Id, device.Name, hash?.Rate?.Measured, hash?.Watts?.Measured,
            gemm?.Rate?.Measured, gemm?.Watts?.Measured, gemm?.Workload);
    }

    // key: the parameter a missing or unreadable file is named by (the command line turns it into its flag).
    private static ReportDocument ReadFile(string path, string key)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
            throw new ArgumentException($"{path} is a folder, not a file; give the report.json that {ReportJson.Tool} wrote in it.", key);
        if (!File.Exists(path))
            throw new ArgumentException($"{path} does not exist.", key);
        try
        {
            using var stream = File.OpenRead(path);
            return Read(stream, path);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException(ex.Message, key, ex);
        }
    }

    private static ReportDocument Read(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("tool", out var tool) || tool.GetString() != ReportJson.Tool
            || !root.TryGetProperty("devices", out var devices) || devices.ValueKind != JsonValueKind.Array)
            throw new FormatException($"{source} is not a report of {ReportJson.Tool} (no \"tool\": \"{ReportJson.Tool}\" with devices).");
        int version = root.TryGetProperty("version", out var v) ? v.GetInt32() : 1;
        if (version > ReportJson.Version)
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"{source} is a report of version {version}; this htb reads version {ReportJson.Version} and older: update htb to read it."));
        return new ReportDocument(version, String(root, "generated") ?? "", root.GetProperty("workload_seconds").GetDouble(),
            Flag(root, "quick"), Flag(root, "cancelled"), String(root, "cpu") ?? "", String(root, "cuda") ?? "", String(root, "ai_format") ?? "",
            [.. Array(root, "inputs").Select(Input)],
            [.. Array(root, "older_than_90_days").Select(s => (s.GetProperty("input").GetString()!, s.GetProperty("age_days").GetInt32()))],
            [.. Array(root, "unused_inputs").Select(u => u.GetString()!)],
            [.. devices.EnumerateArray().Select(Device)]);
    }

    private static ReportDevice Device(JsonElement device) => new(
        device.GetProperty("id").GetString()!, device.GetProperty("name").GetString()!,
        [.. device.GetProperty("workloads").EnumerateArray().Select(Workload)],
        Object(device, "gpu_rental") is { } rent ? Input(rent) : null,
        Figure(device, "joules_per_terahash") ?? throw new KeyNotFoundException("a device has no joules_per_terahash"),
        Use(device, "hashing"), String(device, "ai_workload"), Use(device, "ai"),
        Object(device, "decision") is { } d
            ? new ReportDecision(d.GetProperty("winner").GetString()!, d.GetProperty("basis").GetString()!, Flag(d, "both_lose_money"),
                d.GetProperty("ai_priced_by").GetString()!, Required(d, "margin"), Required(d, "break_even_btc_price"), Figure(d, "break_even_rental"))
            : null);

    private static ReportWorkload Workload(JsonElement w) => new(w.GetProperty("workload").GetString()!, w.GetProperty("status").GetString()!,
        String(w, "reason"), String(w, "implementation"), Figure(w, "work"), Figure(w, "seconds"), Figure(w, "rate"), Figure(w, "joules"),
        Figure(w, "watts"), Figure(w, "per_joule"));

    private static ReportUse? Use(JsonElement device, string name) => Object(device, name) is { } use
        ? new ReportUse(Required(use, "watts"), Required(use, "revenue"), Required(use, "electricity"), Required(use, "profit"), Required(use, "profit_per_mwh"))
        : null;

    // An input's note is who published it (a default or the user's), the arithmetic or reading (derived, measured), or the reason.
    private static ReportInput Input(JsonElement input) => new(input.GetProperty("name").GetString()!,
        new ReportFigure(Number(input), input.GetProperty("unit").GetString()!, input.GetProperty("source").GetString()!,
            String(input, "published_by") ?? String(input, "note") ?? String(input, "reason")),
        String(input, "as_of"));

    private static ReportFigure Required(JsonElement parent, string name) =>
        Figure(parent, name) ?? throw new KeyNotFoundException($"no \"{name}\" figure");

    private static ReportFigure? Figure(JsonElement parent, string name) => Object(parent, name) is { } f
        ? new ReportFigure(Number(f), f.GetProperty("unit").GetString()!, f.GetProperty("source").GetString()!, String(f, "note") ?? String(f, "reason"))
        : null;

    private static double? Number(JsonElement figure) =>
        figure.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static JsonElement? Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Flag(JsonElement parent, string name) => parent.TryGetProperty(name, out var flag) && flag.ValueKind == JsonValueKind.True;

    private static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];
}
