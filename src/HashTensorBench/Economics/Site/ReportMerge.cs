using System.Globalization;

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
/// Merges the devices that <c>htb compare</c> measured on many nodes by model: median rates and power per model, and the
/// devices that stray from their peers. The reports themselves are read in <c>Comparison</c>, beside their writer, so that
/// Economics knows no report format.
/// </summary>
public static class ReportMerge
{
    /// <summary>A device this much slower (rate below) or hungrier (power above) than its peers' median is an outlier.</summary>
    public const double OutlierFraction = 0.10;

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
}
