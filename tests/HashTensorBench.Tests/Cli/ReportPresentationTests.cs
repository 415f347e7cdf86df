using HashTensorBench.Tensors;
using HashTensorBench.Comparison;
using HashTensorBench.Cli.Report;
using HashTensorBench.Economics;
using HashTensorBench.Energy;
using HashTensorBench.Tests.TestData;
using HashTensorBench.Workloads;

namespace HashTensorBench.Tests.Cli;

/// <summary>How report.md reads: each reason once, units on every input, rounded prices, dates that read as English.</summary>
public class ReportPresentationTests
{
    private const string Reason = "no powercap zone (/sys/class/powercap does not exist: no RAPL driver, or a virtual machine that hides it)";

    private static ComparisonReport CpuWithoutPower()
    {
        static TimedRun Run(string unit, double perSecond) => TestRuns.Steady("cpu/avx2 x2", unit, perSecond,
            EnergyReading.Unavailable("cpu", EnergySources.NvmlTotalEnergy, Reason, TimeSpan.FromSeconds(10)));
        var inputs = MarketInputs.ForCompare();
        var cpu = ComparisonReport.Price("cpu", "test cpu",
        [
            new WorkloadResult("sha256d", "H", null, Run("H", 6e6), null),
            new WorkloadResult("gemm fp32 1024x1024x1024", "FLOP", GemmElementType.Fp32, Run("FLOP", 40e9), null),
        ], inputs, GemmElementType.Fp32);
        return new ComparisonReport(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(10), false, false, "test cpu", "none", inputs, GemmElementType.Fp32, [cpu]);
    }

    [Fact]
    public void A_power_reason_is_written_once_not_in_every_row()
    {
        string md = ReportMarkdown.Write(CpuWithoutPower());
        Assert.Equal(1, Count(md, Reason));
    }

    [Fact]
    public void Inputs_have_units_rounded_values_and_read_as_english()
    {
        string md = ReportMarkdown.Write(CpuWithoutPower());
        string difficulty = md.Split('\n').Single(l => l.StartsWith("| difficulty |", StringComparison.Ordinal));
        Assert.Contains("133.87 T", difficulty);
        Assert.Contains("× 2^32 hashes per block", difficulty);
        Assert.DoesNotContain("3.3354310887350533", md);
        Assert.Contains("| 3.34 USD per PFLOP/s-hour |", md);
        Assert.DoesNotContain("as of since", md);
        Assert.Contains("since block 840,000", md);
    }

    [Fact]
    public void Every_chart_names_its_date_devices_and_inputs_and_notes_fit()
    {
        var report = CpuWithoutPower();
        string money = ReportCharts.Subtitle(report, money: true);
        Assert.Contains("2026-11-27 09:00 UTC", money);
        Assert.Contains("cpu test cpu", money);
        Assert.Contains("BTC 60,000 USD", money);
        Assert.Contains("electricity 0.05 USD/kWh", money);
        string note = ReportCharts.Wrap($"Energy unavailable for cpu sha256d, cpu gemm fp32 1024x1024x1024: {Reason}", 120);
        Assert.All(note.Split('\n'), line => Assert.InRange(line.Length, 1, 120));
        // One colour per use in every chart: the site charts' ASIC mining and GPU cloud lines share them.
        Assert.Equal(ReportCharts.HashingColor, ReportCharts.ColorOf("H"));
        Assert.Equal(ReportCharts.AiColor, ReportCharts.ColorOf("FLOP"));
        Assert.NotEqual(ReportCharts.HashingColor, ReportCharts.AiColor);
    }

    [Fact]
    public void Charts_for_nothing_measured_are_still_written()
    {
        string folder = Path.Combine(Path.GetTempPath(), "htb-charts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var empty = CpuWithoutPower() with { Devices = [] };
            var files = ReportCharts.Write(empty, folder);
            Assert.Equal(8, files.Count);
            Assert.All(files, f => Assert.True(new FileInfo(f).Length > 0, f));
            files = ReportCharts.Write(CpuWithoutPower(), Directory.CreateDirectory(Path.Combine(folder, "cpu")).FullName);
            Assert.Equal(8, files.Count);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Without_energy_efficiency_has_no_bars_says_why_and_report_md_says_so()
    {
        string folder = Path.Combine(Path.GetTempPath(), "htb-charts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var report = CpuWithoutPower();
            ReportCharts.Write(report, folder);
            string efficiency = File.ReadAllText(Path.Combine(folder, "efficiency.svg"));
            Assert.Contains("Nothing to plot: no energy was measured on any device.", efficiency);
            Assert.Contains("Energy unavailable for cpu sha256d, cpu gemm fp32 1024x1024x1024", efficiency);
            // No bar, no axis: neither use's colour is filled.
            Assert.DoesNotContain($"fill=\"{ReportCharts.HashingColor.ToHex()}\"", efficiency, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain($"fill=\"{ReportCharts.AiColor.ToHex()}\"", efficiency, StringComparison.OrdinalIgnoreCase);
            Assert.Contains($"fill=\"{ReportCharts.HashingColor.ToHex()}\"", File.ReadAllText(Path.Combine(folder, "throughput-hashing.svg")), StringComparison.OrdinalIgnoreCase);
            string md = ReportMarkdown.Write(report);
            Assert.Contains("`efficiency`, `usd-per-day` (PNG and SVG); no energy was measured, so `efficiency` has no bars, only why", md);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_money_legend_names_revenue_when_power_is_unknown_and_every_tick_reads_alike()
    {
        string folder = Path.Combine(Path.GetTempPath(), "htb-charts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            ReportCharts.Write(CpuWithoutPower(), folder);
            string money = File.ReadAllText(Path.Combine(folder, "usd-per-day.svg"));
            Assert.Contains("hashing: revenue (power not measured, so no profit)", money);
            Assert.Contains("AI: revenue (power not measured, so no profit)", money);
            Assert.DoesNotContain("profit (revenue where", money);
            // A CPU hashes for millionths of a dollar a day: every tick a power of ten, none in decimals beside them.
            Assert.Contains("10⁻⁷", money);
            Assert.DoesNotContain("10^", money);
            Assert.DoesNotContain("0.001", money);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(-3, new[] { "0.001", "0.01", "0.1", "1", "10", "100", "1,000" })]
    [InlineData(-5, new[] { "10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹" })]
    public void Log_ticks_take_one_format_per_axis(int lowest, string[] expected)
    {
        Assert.Equal(expected, Enumerable.Range(lowest, expected.Length).Select(e => ReportCharts.PowerOfTen(e, lowest)));
    }

    [Fact]
    public void Throughput_bars_carry_whiskers_over_the_middle_half_of_their_windows()
    {
        string folder = Path.Combine(Path.GetTempPath(), "htb-charts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var report = CpuWithoutPower();
            ReportCharts.Write(report, folder);
            Assert.Contains("whisker: middle half of the timed windows", File.ReadAllText(Path.Combine(folder, "throughput-hashing.svg")));
            Assert.Contains("whisker: middle half of the timed windows", File.ReadAllText(Path.Combine(folder, "throughput-gemm.svg")));
            Assert.Contains("whiskers span the middle half of the timed windows", ReportMarkdown.Write(report));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int Count(string text, string fragment)
    {
        int count = 0;
        for (int at = text.IndexOf(fragment, StringComparison.Ordinal); at >= 0; at = text.IndexOf(fragment, at + 1, StringComparison.Ordinal))
            count++;
        return count;
    }
}
