using HashTensorBench.Cli.Report;
using HashTensorBench.Economics;
using HashTensorBench.Energy;
using HashTensorBench.Workloads;

namespace HashTensorBench.Tests.Cli;

/// <summary>How report.md reads: each reason once, units on every input, rounded prices, dates that read as English.</summary>
public class ReportPresentationTests
{
    private const string Reason = "no powercap zone (/sys/class/powercap does not exist: no RAPL driver, or a virtual machine that hides it)";

    private static ComparisonReport CpuWithoutPower()
    {
        static TimedRun Run(string unit, double perSecond) => new("cpu/avx2 x2", unit, perSecond * 10, TimeSpan.FromSeconds(10),
            EnergyReading.Unavailable("cpu", EnergySources.NvmlTotalEnergy, Reason, TimeSpan.FromSeconds(10)));
        var inputs = new MarketInputs();
        var cpu = ComparisonReport.Price("cpu", "test cpu",
        [
            new WorkloadResult("sha256d", "H", Run("H", 6e6), null),
            new WorkloadResult("gemm fp32 1024x1024x1024", "FLOP", Run("FLOP", 40e9), null),
        ], inputs);
        return new ComparisonReport(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(10), false, false, "test cpu", "none", inputs, [cpu]);
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
        Assert.DoesNotContain("3.3544303797468356", md);
        Assert.Contains("| 3.35 USD per PFLOP/s-hour |", md);
        Assert.DoesNotContain("as of since", md);
        Assert.Contains("since block 840,000", md);
    }

    private static int Count(string text, string fragment)
    {
        int count = 0;
        for (int at = text.IndexOf(fragment, StringComparison.Ordinal); at >= 0; at = text.IndexOf(fragment, at + 1, StringComparison.Ordinal))
            count++;
        return count;
    }
}
