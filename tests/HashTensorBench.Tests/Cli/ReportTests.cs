using HashTensorBench.Tensors;
using HashTensorBench.Comparison;
using System.Text.Json;
using HashTensorBench.Cli.Report;
using HashTensorBench.Economics;
using HashTensorBench.Energy;
using HashTensorBench.Tests.TestData;
using HashTensorBench.Workloads;

namespace HashTensorBench.Tests.Cli;

/// <summary>The report for a device with measured power, as a GPU gives it: the path a CPU-only CI run cannot reach.</summary>
public sealed class ReportTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "htb-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private static TimedRun Run(string unit, double perSecond, double watts) =>
        TestRuns.Steady("cuda:0 NVIDIA H100 80GB HBM3", unit, perSecond,
            EnergyReading.Measured("gpu 0", EnergySources.NvmlTotalEnergy, watts * 12, TimeSpan.FromSeconds(12),
                new DeviceState(700, 1980, 45), new DeviceState(700, 1755, 70)));

    private static ComparisonReport Report()
    {
        var inputs = MarketInputs.ForCompare();
        var gpu = ComparisonReport.Price("cuda:0", "NVIDIA H100 80GB HBM3",
        [
            new WorkloadResult("sha256d", "H", null, Run("H", 7e9, 690), null),
            new WorkloadResult("gemm fp16 8192x8192x8192", "FLOP", GemmElementType.Fp16, Run("FLOP", 500e12, 650), null),
            new WorkloadResult("gemm fp32 8192x8192x8192", "FLOP", GemmElementType.Fp32, null, "cuda:0: out of memory"),
        ], inputs.With(Input.GpuRent, MarketReferences.GpuRental("NVIDIA H100 80GB HBM3")!), GemmElementType.Fp16);
        return new ComparisonReport(DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(12), false, false, "test cpu", "cuda:0 test", inputs, GemmElementType.Fp16, [gpu]);
    }

    [Fact]
    public void Measured_power_prices_profit_efficiency_and_the_verdict_per_mwh()
    {
        var device = Report().Devices[0];
        // 690 W at 7 GH/s: 98,571 J/TH, against an S21 XP's 13.5.
        Assert.Equal(690 / 7e-3, device.JoulesPerTerahash!.Value, 6);
        Assert.Equal("AI", device.Decision!.Winner);
        Assert.Equal("profit", device.Decision.Basis);
        // AI is priced by the H100's rent: 2.65 USD/h × 24 h less 650 W × 24 h × 0.05 USD/kWh.
        Assert.Equal(2.65 * 24 - 0.65 * 24 * 0.05, device.Ai!.Profit.UsdPerDay!.Value, 9);
        Assert.Equal("gemm fp16 8192x8192x8192", device.AiWorkload!.Workload);
        string verdict = ReportMarkdown.Verdict(device);
        Assert.Contains("**AI** earns", verdict);
        Assert.Contains("Per MWh drawn: hashing", verdict);
        Assert.Contains("AI matches hashing at a rent of", verdict);
    }

    [Fact]
    public void A_device_without_a_GEMM_in_the_AI_format_gets_no_answer_saying_why()
    {
        // The GPU measured FP16 (and failed FP32), and AI is priced by INT8.
        var report = Report();
        var device = ComparisonReport.Price("cuda:0", "NVIDIA H100 80GB HBM3",
        [
            new WorkloadResult("sha256d", "H", null, Run("H", 7e9, 690), null),
            new WorkloadResult("gemm fp16 8192x8192x8192", "FLOP", GemmElementType.Fp16, Run("FLOP", 500e12, 650), null),
        ], report.Inputs.With(Input.GpuRent, MarketReferences.GpuRental("NVIDIA H100 80GB HBM3")!), GemmElementType.Int8);
        Assert.Null(device.AiWorkload);
        Assert.Null(device.Decision);
        Assert.Equal("no answer: this device has no GEMM in the AI format (see `--ai-format`)", ReportMarkdown.Verdict(device));
    }

    [Fact]
    public void A_device_without_a_rental_market_says_in_its_verdict_whose_price_it_borrows()
    {
        var inputs = MarketInputs.ForCompare();
        var cpu = ComparisonReport.Price("cpu", "AMD EPYC",
        [
            new WorkloadResult("sha256d", "H", null, Run("H", 60e6, 120), null),
            new WorkloadResult("gemm fp32 1024x1024x1024", "FLOP", GemmElementType.Fp32, Run("FLOP", 400e9, 130), null),
        ], inputs, GemmElementType.Fp32);
        string verdict = ReportMarkdown.Verdict(cpu);
        Assert.Contains("cpu has no rental market of its own", verdict);
        Assert.Contains("3.335 USD per PFLOP/s-hour, an H100's rent over its measured BF16 rate", verdict);
        // A GPU priced by its own rent says nothing of the kind.
        Assert.DoesNotContain("rental market", ReportMarkdown.Verdict(Report().Devices[0]));
        using var stream = new MemoryStream();
        ReportJson.Write(stream, new ComparisonReport(DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(12), false, false, "cpu", "none", inputs, GemmElementType.Fp32, [cpu]));
        using var json = JsonDocument.Parse(stream.ToArray());
        Assert.Contains("no rental market of its own", json.RootElement.GetProperty("devices")[0].GetProperty("decision").GetProperty("ai_priced_by").GetString());
    }

    [Fact]
    public void Json_marks_measured_derived_and_unavailable_figures()
    {
        using var stream = new MemoryStream();
        ReportJson.Write(stream, Report());
        using var json = JsonDocument.Parse(stream.ToArray());
        var device = json.RootElement.GetProperty("devices")[0];
        var workloads = device.GetProperty("workloads");
        var hash = workloads[0];
        Assert.Equal("measured", hash.GetProperty("watts").GetProperty("source").GetString());
        Assert.Equal(690, hash.GetProperty("watts").GetProperty("value").GetDouble(), 9);
        Assert.Equal("derived", hash.GetProperty("per_joule").GetProperty("source").GetString());
        Assert.Equal(1755, hash.GetProperty("device_at_end").GetProperty("sm_clock_mhz").GetInt32());
        Assert.Equal("unavailable", workloads[2].GetProperty("status").GetString());
        Assert.Equal("cuda:0: out of memory", workloads[2].GetProperty("reason").GetString());
        Assert.Equal("default", device.GetProperty("gpu_rental").GetProperty("source").GetString());
        Assert.Equal("derived", device.GetProperty("hashing").GetProperty("profit").GetProperty("source").GetString());
        Assert.Contains("USD/kWh", device.GetProperty("hashing").GetProperty("electricity").GetProperty("note").GetString());
    }

    [Fact]
    public void Charts_draw_bars_for_every_measured_figure()
    {
        Directory.CreateDirectory(_folder);
        var files = ReportCharts.Write(Report(), _folder);
        Assert.Equal(8, files.Count);
        Assert.All(files, f => Assert.True(new FileInfo(f).Length > 1000, f));
        string md = ReportMarkdown.Write(Report());
        Assert.Contains("98,571", md);
        Assert.DoesNotContain("`efficiency` has no bars", md);
        // Measured power: bars of work per joule, and the money legend says profit (the loss is outlined and labelled).
        Assert.Contains($"fill=\"{ReportCharts.AiColor.ToHex()}\"", File.ReadAllText(Path.Combine(_folder, "efficiency.svg")), StringComparison.OrdinalIgnoreCase);
        string money = File.ReadAllText(Path.Combine(_folder, "usd-per-day.svg"));
        Assert.Contains("hashing: profit", money);
        Assert.Contains("AI: profit", money);
        Assert.DoesNotContain("revenue (power not measured", money);
    }
}
