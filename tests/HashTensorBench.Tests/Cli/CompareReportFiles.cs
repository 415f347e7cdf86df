using HashTensorBench.Tensors;
using HashTensorBench.Comparison;
using HashTensorBench.Economics;
using HashTensorBench.Energy;
using HashTensorBench.Tests.TestData;
using HashTensorBench.Workloads;

namespace HashTensorBench.Tests.Cli;

/// <summary>Writes <c>report.json</c> files as <c>htb compare</c> does on a GPU node, with chosen rates and power.</summary>
internal static class CompareReportFiles
{
    public const string H100 = "NVIDIA H100 80GB HBM3";

    /// <summary>One GPU's figures: sha256d H/s and watts, FP16 GEMM FLOP/s and watts.</summary>
    public sealed record Gpu(string Id, string Name, double HashRate, double HashWatts, double GemmRate, double GemmWatts);

    private static TimedRun Run(string device, string unit, double perSecond, double watts) =>
        TestRuns.Steady(device, unit, perSecond, EnergyReading.Measured(device, EnergySources.NvmlTotalEnergy, watts * 12, TimeSpan.FromSeconds(12)));

    /// <summary>Writes a node's report into <c>folder/node/report.json</c>; returns its path.</summary>
    public static string Write(string folder, string node, params Gpu[] gpus) => Write(folder, node, quick: false, cancelled: false, gpus);

    /// <summary>Writes a node's report, marked as a <c>--quick</c> run or a cancelled one as asked.</summary>
    public static string Write(string folder, string node, bool quick, bool cancelled, params Gpu[] gpus)
    {
        var inputs = MarketInputs.ForCompare();
        var devices = gpus.Select(g => ComparisonReport.Price(g.Id, g.Name,
        [
            new WorkloadResult("sha256d", "H", null, Run(g.Id, "H", g.HashRate, g.HashWatts), null),
            new WorkloadResult("gemm fp32 8192x8192x8192", "FLOP", GemmElementType.Fp32, Run(g.Id, "FLOP", g.GemmRate / 10, g.GemmWatts * 0.9), null),
            new WorkloadResult("gemm fp16 8192x8192x8192", "FLOP", GemmElementType.Fp16, Run(g.Id, "FLOP", g.GemmRate, g.GemmWatts), null),
        ], MarketReferences.GpuRental(g.Name) is { } rent ? inputs.With(Input.GpuRent, rent) : inputs, GemmElementType.Fp16)).ToList();
        var report = new ComparisonReport(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(12), quick, cancelled,
            "test cpu", string.Join("; ", gpus.Select(g => g.Id)), inputs, GemmElementType.Fp16, devices);
        string dir = Path.Combine(folder, node);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "report.json");
        using (var stream = File.Create(path))
            ReportJson.Write(stream, report);
        return path;
    }

    /// <summary>Three nodes of two H100s; node c's cuda:1 hashes 20 % slower and draws 15 % more in GEMM.</summary>
    public static string[] Cluster(string folder) =>
    [
        Write(folder, "a", new Gpu("cuda:0", H100, 7.0e9, 690, 500e12, 650), new Gpu("cuda:1", H100, 7.1e9, 695, 505e12, 655)),
        Write(folder, "b", new Gpu("cuda:0", H100, 6.9e9, 685, 495e12, 645), new Gpu("cuda:1", H100, 7.0e9, 700, 500e12, 660)),
        Write(folder, "c", new Gpu("cuda:0", H100, 7.05e9, 692, 498e12, 652), new Gpu("cuda:1", H100, 5.6e9, 690, 500e12, 750)),
    ];
}
