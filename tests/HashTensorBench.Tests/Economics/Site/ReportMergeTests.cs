using HashTensorBench.Comparison;
using HashTensorBench.Tests.Cli;

namespace HashTensorBench.Tests.Economics.Site;

public sealed class ReportMergeTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "htb-merge-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Reports_of_several_nodes_merge_by_model_with_medians_and_flag_the_outlier()
    {
        var merged = ReportJsonReader.Merge(CompareReportFiles.Cluster(_folder));
        var h100 = Assert.Single(merged.Models);
        Assert.Equal(CompareReportFiles.H100, h100.Model);
        Assert.Equal(6, h100.Devices.Count);
        // Medians of six: the middle two of the sorted values.
        Assert.Equal((7.0e9 + 7.0e9) / 2, h100.MedianHashRate);
        Assert.Equal((652 + 655) / 2.0, h100.MedianGemmWatts!.Value, 9);
        Assert.Equal(500e12, h100.MedianGemmRate!.Value, 0);
        // The GEMM each report priced AI by (its ai_workload), not merely the fastest.
        Assert.Equal("gemm fp16 8192x8192x8192", h100.GemmWorkloads);
        // Node c's cuda:1: 20 % slower hashing and 15 % hungrier in GEMM than its peers; nobody else.
        Assert.Equal(2, h100.Outliers.Count);
        Assert.All(h100.Outliers, o => Assert.Equal("cuda:1", o.Device.Id));
        Assert.All(h100.Outliers, o => Assert.EndsWith(Path.Combine("c", "report.json"), o.Device.Report));
        var slow = Assert.Single(h100.Outliers, o => o.Figure == "sha256d rate");
        Assert.Equal(7.0e9, slow.PeerMedian);
        Assert.Contains("20 % below", slow.Description);
        Assert.Contains("slower", slow.Description);
        var hungry = Assert.Single(h100.Outliers, o => o.Figure == "power during GEMM");
        Assert.Contains("hungrier", hungry.Description);
        Assert.Contains("median of 6", h100.SourceOf(d => d.HashRate));
        Assert.Same(h100, merged.Find(null));
        Assert.Same(h100, merged.Find("h100"));
    }

    [Fact]
    public void Two_models_need_a_choice_and_a_missing_model_is_refused()
    {
        string[] reports =
        [
            CompareReportFiles.Write(_folder, "a", new CompareReportFiles.Gpu("cuda:0", CompareReportFiles.H100, 7e9, 690, 500e12, 650)),
            CompareReportFiles.Write(_folder, "b", new CompareReportFiles.Gpu("cuda:0", "NVIDIA A100-SXM4-80GB", 3.5e9, 390, 250e12, 380)),
        ];
        var merged = ReportJsonReader.Merge(reports);
        Assert.Equal(2, merged.Models.Count);
        Assert.Empty(merged.Models.SelectMany(m => m.Outliers));
        Assert.Contains("several GPU models", Assert.Throws<ArgumentException>(() => merged.Find(null)).Message);
        Assert.Equal(3.5e9, merged.Find("A100").MedianHashRate);
        Assert.Contains("no device of model \"B200\"", Assert.Throws<ArgumentException>(() => merged.Find("B200")).Message);
    }

    [Fact]
    public void A_file_that_is_not_a_compare_report_is_refused()
    {
        Directory.CreateDirectory(_folder);
        string path = Path.Combine(_folder, "other.json");
        File.WriteAllText(path, """{"tool": "htb site", "devices": []}""");
        Assert.Contains("is not a report of htb compare", Assert.Throws<ArgumentException>(() => ReportJsonReader.Merge([path])).Message);
        File.WriteAllText(path, "not json");
        Assert.Contains("is not a report of htb compare", Assert.Throws<ArgumentException>(() => ReportJsonReader.Merge([path])).Message);
        Assert.Contains("does not exist", Assert.Throws<ArgumentException>(() => ReportJsonReader.Merge([path + ".missing"])).Message);
    }

    [Fact]
    public void Quick_and_cancelled_reports_are_left_out_and_listed_unless_asked_for()
    {
        var full = CompareReportFiles.Write(_folder, "full", new CompareReportFiles.Gpu("cuda:0", CompareReportFiles.H100, 7e9, 700, 500e12, 650));
        var quick = CompareReportFiles.Write(_folder, "quick", quick: true, cancelled: false,
            new CompareReportFiles.Gpu("cuda:0", CompareReportFiles.H100, 1e9, 300, 50e12, 300));
        var cancelled = CompareReportFiles.Write(_folder, "cancelled", quick: false, cancelled: true,
            new CompareReportFiles.Gpu("cuda:0", CompareReportFiles.H100, 2e9, 400, 80e12, 400));

        var merged = ReportJsonReader.Merge([full, quick, cancelled]);
        Assert.Equal([full], merged.Reports);
        Assert.Equal(7e9, merged.Models.Single().MedianHashRate);
        Assert.Equal([(quick, "a --quick smoke run (1 s windows, small matrices)", false), (cancelled, "cancelled before every workload ran", false)], merged.Partial);

        var all = ReportJsonReader.Merge([full, quick, cancelled], includePartial: true);
        Assert.Equal(3, all.Models.Single().Devices.Count);
        Assert.Equal(2e9, all.Models.Single().MedianHashRate);
        Assert.All(all.Partial, p => Assert.True(p.Merged));

        // The library names what is wrong by its key; the command line turns it into the flag (SiteCommandTests).
        var partial = Assert.Throws<ArgumentException>(() => ReportJsonReader.Merge([quick]));
        Assert.Contains("every report is partial", partial.Message);
        Assert.Equal("include-partial", partial.ParamName);
        Assert.DoesNotContain("--", partial.Message.Replace("--quick", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cpu_is_not_taken_for_the_sites_gpu()
    {
        var report = CompareReportFiles.Write(_folder, "node", new CompareReportFiles.Gpu("cpu", "AMD EPYC 9B45", 4e7, 120, 2e12, 150));
        var merged = ReportJsonReader.Merge([report]);
        var cpu = Assert.Throws<ArgumentException>(() => merged.Find("EPYC"));
        Assert.StartsWith("AMD EPYC 9B45 is a CPU, not a GPU", cpu.Message);
        Assert.Equal("gpu-model", cpu.ParamName);
        Assert.Contains("no GPU in 1 report(s)", Assert.Throws<ArgumentException>(() => merged.Find(null)).Message);
    }
}
