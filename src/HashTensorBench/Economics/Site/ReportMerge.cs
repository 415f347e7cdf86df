using System.Globalization;
using System.Text.Json;

namespace HashTensorBench.Economics.Site;

/// <summary>One device as a <c>compare</c> report measured it.</summary>
/// <param name="Report">The report's path.</param>
/// <param name="Generated">When the report was written, as it says.</param>
/// <param name="Id"><c>cpu</c> or <c>cuda:N</c>.</param>
/// <param name="Name">The model name, as the driver reports it.</param>
/// <param name="HashRate">sha256d hashes per second; null when not measured.</param>
/// <param name="HashWatts">Power while hashing; null when not measured.</param>
/// <param name="GemmRate">The FLOP/s of the GEMM the report priced AI by (its <c>ai_workload</c>; older reports: the fastest GEMM); null when none ran.</param>
/// <param name="GemmWatts">Power during that GEMM; null when not measured.</param>
/// <param name="GemmWorkload">That GEMM's name, such as <c>gemm bf16 8192x8192x8192</c>; null when none ran.</param>
public sealed record MeasuredDevice(string Report, string Generated, string Id, string Name, double? HashRate, double? HashWatts,
    double? GemmRate, double? GemmWatts, string? GemmWorkload = null)
{
    /// <summary>The device in words: <c>nodeA/report.json cuda:0</c>.</summary>
    public string Label => $"{Report} {Id}";
}

/// <summary>A device more than <see cref="ReportMerge.OutlierFraction"/> slower or hungrier than the median of its peers.</summary>
/// <param name="Device">The device.</param>
/// <param name="Figure">Such as <c>sha256d rate</c> or <c>GEMM power</c>.</param>
/// <param name="Value">The device's figure.</param>
/// <param name="PeerMedian">The median of the same model's other devices.</param>
/// <param name="Description">The finding in words.</param>
public sealed record Outlier(MeasuredDevice Device, string Figure, double Value, double PeerMedian, string Description);

/// <summary>The devices of one model across the reports, their medians and outliers.</summary>
/// <param name="Model">The model name.</param>
/// <param name="Devices">Its devices, in report order.</param>
/// <param name="Outliers">Devices more than 10 % slower or hungrier than their peers.</param>
public sealed record ModelSummary(string Model, IReadOnlyList<MeasuredDevice> Devices, IReadOnlyList<Outlier> Outliers)
{
    /// <summary>The median sha256d rate; null when no device measured one.</summary>
    public double? MedianHashRate => ReportMerge.Median(Devices.Select(d => d.HashRate));

    /// <summary>The median power while hashing.</summary>
    public double? MedianHashWatts => ReportMerge.Median(Devices.Select(d => d.HashWatts));

    /// <summary>The GEMMs the medians below come from, such as <c>gemm bf16 8192x8192x8192</c>.</summary>
    public string GemmWorkloads => string.Join(", ", Devices.Select(d => d.GemmWorkload).OfType<string>().Distinct());

    /// <summary>The median rate of the GEMM each report priced AI by.</summary>
    public double? MedianGemmRate => ReportMerge.Median(Devices.Select(d => d.GemmRate));

    /// <summary>The median power during the best GEMM.</summary>
    public double? MedianGemmWatts => ReportMerge.Median(Devices.Select(d => d.GemmWatts));

    /// <summary>Whether the devices are GPUs (the CPU's id is <c>cpu</c>).</summary>
    public bool IsGpu => Devices.All(d => d.Id != "cpu");

    /// <summary>Which devices a median of <paramref name="select"/> comes from, for its source.</summary>
    public string SourceOf(Func<MeasuredDevice, double?> select)
    {
        ArgumentNullException.ThrowIfNull(select);
        var used = Devices.Where(d => select(d) is not null).ToArray();
        return used.Length == 1
            ? $"in {used[0].Report} on {used[0].Id} ({Model})"
            : $"median of {used.Length} {Model} devices: {string.Join(", ", used.Select(d => d.Label))}";
    }
}

/// <summary>Several <c>compare</c> reports (one per node) as one set of devices grouped by model.</summary>
/// <param name="Reports">The reports merged.</param>
/// <param name="Models">Every model found, GPUs first, then by number of devices.</param>
public sealed record MergedReports(IReadOnlyList<string> Reports, IReadOnlyList<ModelSummary> Models)
{
    /// <summary>Partial reports (a <c>--quick</c> smoke run, or one cancelled half-way) and whether they were merged, with why.</summary>
    public IReadOnlyList<(string Report, string Why, bool Merged)> Partial { get; init; } = [];

    /// <summary>
    /// The model whose name contains <paramref name="wanted"/> (case ignored); with none wanted, the only GPU
    /// model in the reports.
    /// </summary>
    /// <exception cref="ArgumentException">No device of that model, several models match, or the reports hold no GPU or several GPU models and none was named.</exception>
    public ModelSummary Find(string? wanted)
    {
        string found = string.Join("; ", Models.Select(m => $"{m.Model} ({m.Devices.Count})"));
        if (wanted is null)
        {
            var gpus = Models.Where(m => m.IsGpu).ToArray();
            return gpus.Length switch
            {
                1 => gpus[0],
                0 => throw new ArgumentException($"no GPU in {Reports.Count} report(s) (found {found}); name the model to use.", "gpu-model"),
                _ => throw new ArgumentException($"several GPU models in the reports ({found}); name the one to use.", "gpu-model"),
            };
        }
        var matches = Models.Where(m => m.Model.Contains(wanted, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (matches is [{ IsGpu: false } cpu])
            throw new ArgumentException($"{cpu.Model} is a CPU, not a GPU: the site's GPU uses need a GPU's power and rates; found {found}.", "gpu-model");
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new ArgumentException($"no device of model \"{wanted}\" in the reports; found {found}.", "gpu-model"),
            _ => throw new ArgumentException($"\"{wanted}\" matches several models ({string.Join("; ", matches.Select(m => m.Model))}); name one.", "gpu-model"),
        };
    }
}

/// <summary>
/// Reads the <c>report.json</c> of <c>htb compare</c> runs on many nodes and merges their devices by model:
/// median rates and power per model, and the devices that stray from their peers.
/// </summary>
public static class ReportMerge
{
    /// <summary>A device this much slower (rate below) or hungrier (power above) than its peers' median is an outlier.</summary>
    public const double OutlierFraction = 0.10;

    /// <summary>
    /// Reads and merges the reports at <paramref name="paths"/>. A partial report (a <c>--quick</c> smoke run, whose 1 s
    /// windows and small matrices are not a node's rate, or one cancelled half-way) is left out unless
    /// <paramref name="includePartial"/>; either way the result lists it.
    /// </summary>
    /// <exception cref="ArgumentException">A file is missing, not JSON, or not a <c>compare</c> report, or every report is partial and none may be merged.</exception>
    public static MergedReports Read(IReadOnlyList<string> paths, bool includePartial = false)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
            throw new ArgumentException("name at least one report.json of htb compare.", "reports");
        var devices = new List<MeasuredDevice>();
        var merged = new List<string>();
        var partial = new List<(string, string, bool)>();
        foreach (string path in paths)
        {
            var (read, why) = ReadOne(path);
            if (why is not null)
                partial.Add((path, why, includePartial));
            if (why is null || includePartial)
            {
                devices.AddRange(read);
                merged.Add(path);
            }
        }
        if (merged.Count == 0)
            throw new ArgumentException($"every report is partial ({string.Join("; ", partial.Select(p => $"{p.Item1}: {p.Item2}"))}); measure a full compare run, or merge the partial ones too.", "include-partial");
        return Merge(merged, devices) with { Partial = partial };
    }

    /// <summary>Groups <paramref name="devices"/> by model and finds the outliers.</summary>
    public static MergedReports Merge(IReadOnlyList<string> reports, IEnumerable<MeasuredDevice> devices)
    {
        var models = devices.GroupBy(d => d.Name, StringComparer.Ordinal)
            .Select(g => new ModelSummary(g.Key, [.. g], Outliers([.. g])))
            .OrderByDescending(m => m.IsGpu).ThenByDescending(m => m.Devices.Count).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToArray();
        return new MergedReports(reports, models);
    }

    /// <summary>The median of the known values; null when none is known.</summary>
    public static double? Median(IEnumerable<double?> values)
    {
        var known = values.OfType<double>().Order().ToArray();
        if (known.Length == 0)
            return null;
        int mid = known.Length / 2;
        return known.Length % 2 == 1 ? known[mid] : (known[mid - 1] + known[mid]) / 2;
    }

    private static List<Outlier> Outliers(IReadOnlyList<MeasuredDevice> devices)
    {
        var outliers = new List<Outlier>();
        if (devices.Count < 2)
            return outliers;
        foreach (var device in devices)
        {
            var peers = devices.Where(d => !ReferenceEquals(d, device)).ToArray();
            Check(device, peers, "sha256d rate", d => d.HashRate, slower: true, outliers);
            Check(device, peers, "power while hashing", d => d.HashWatts, slower: false, outliers);
            Check(device, peers, "GEMM rate", d => d.GemmRate, slower: true, outliers);
            Check(device, peers, "power during GEMM", d => d.GemmWatts, slower: false, outliers);
        }
        return outliers;
    }

    private static void Check(MeasuredDevice device, MeasuredDevice[] peers, string figure, Func<MeasuredDevice, double?> select, bool slower, List<Outlier> outliers)
    {
        if (select(device) is not double value || Median(peers.Select(select)) is not double median || median <= 0)
            return;
        double off = value / median - 1;
        if (slower ? off < -OutlierFraction : off > OutlierFraction)
        {
            outliers.Add(new Outlier(device, figure, value, median, string.Create(CultureInfo.InvariantCulture,
                $"{device.Label}: {figure} {value:G4} is {Math.Abs(off):P0} {(slower ? "below" : "above")} its peers' median {median:G4} ({(slower ? "slower" : "hungrier")})")));
        }
    }

    // The report's devices, and why it is partial (null when it is a full run).
    private static (List<MeasuredDevice> Devices, string? Partial) ReadOne(string path)
    {
        if (Directory.Exists(path))
            throw new ArgumentException($"{path} is a folder, not a file; give the report.json that htb compare wrote in it.", "reports");
        if (!File.Exists(path))
            throw new ArgumentException($"{path} does not exist.", "reports");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("tool", out var tool) || tool.GetString() != "htb compare"
                || !root.TryGetProperty("devices", out var devices) || devices.ValueKind != JsonValueKind.Array)
                throw new ArgumentException($"{path} is not a report of htb compare (no \"tool\": \"htb compare\" with devices).", "reports");
            string generated = root.TryGetProperty("generated", out var g) ? g.GetString() ?? "" : "";
            bool Flag(string name) => root.TryGetProperty(name, out var flag) && flag.ValueKind == JsonValueKind.True;
            string? partial = (Flag("quick"), Flag("cancelled")) switch
            {
                (true, true) => "a --quick run, cancelled",
                (true, false) => "a --quick smoke run (1 s windows, small matrices)",
                (false, true) => "cancelled before every workload ran",
                _ => null,
            };
            var result = new List<MeasuredDevice>();
            foreach (var device in devices.EnumerateArray())
            {
                var workloads = device.GetProperty("workloads").EnumerateArray()
                    .Where(w => w.GetProperty("status").GetString() == "measured").ToArray();
                var hash = workloads.FirstOrDefault(w => w.GetProperty("workload").GetString() == "sha256d");
                // The GEMM the report priced AI by; a report older than --ai-format names none: its fastest GEMM.
                string? priced = device.TryGetProperty("ai_workload", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                var gemm = priced is not null
                    ? workloads.FirstOrDefault(w => w.GetProperty("workload").GetString() == priced)
                    : workloads.Where(w => w.GetProperty("workload").GetString()!.StartsWith("gemm", StringComparison.Ordinal))
                        .OrderByDescending(w => Value(w, "rate") ?? 0).FirstOrDefault();
                result.Add(new MeasuredDevice(path, generated, device.GetProperty("id").GetString()!, device.GetProperty("name").GetString()!,
                    Value(hash, "rate"), Value(hash, "watts"), Value(gemm, "rate"), Value(gemm, "watts"),
                    gemm.ValueKind == JsonValueKind.Object ? gemm.GetProperty("workload").GetString() : null));
            }
            return (result, partial);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new ArgumentException($"{path} is not a report of htb compare ({ex.Message.ReplaceLineEndings(" ")})", "reports", ex);
        }
    }

    private static double? Value(JsonElement workload, string figure) =>
        workload.ValueKind == JsonValueKind.Object && workload.TryGetProperty(figure, out var f)
            && f.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number
            && f.GetProperty("source").GetString() == "measured"
            ? v.GetDouble()
            : null;
}
