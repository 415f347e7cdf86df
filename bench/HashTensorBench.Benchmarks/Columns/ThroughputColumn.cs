using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using HashTensorBench.Workloads;

namespace HashTensorBench.Benchmarks.Columns;

/// <summary>
/// Work per second of one unit (<c>H/s</c>, <c>FLOP/s</c>), from the mean time per operation and the
/// benchmark's <see cref="WorkUnitAttribute"/>; empty for benchmarks of another unit.
/// </summary>
public sealed class ThroughputColumn(string unit) : IColumn
{
    /// <summary>The unit counted.</summary>
    public string Unit { get; } = unit;

    public string Id => "Throughput." + Unit;

    public string ColumnName => Unit + "/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"{Unit} of work per second: work per operation / mean time per operation";

    /// <summary>Work per second given the work per operation and the mean nanoseconds per operation.</summary>
    public static double Compute(double workPerOperation, double meanNanoseconds) => workPerOperation / (meanNanoseconds * 1e-9);

    /// <summary>A number with an SI prefix (<see cref="SiPrefix"/>), for example <c>1.235 G</c>: H/s and FLOP/s span fifteen orders of magnitude.</summary>
    public static string FormatSi(double value)
    {
        var (scaled, prefix) = SiPrefix.Of(value);
        return scaled.ToString("0.###", CultureInfo.InvariantCulture) + (prefix.Length == 0 ? "" : " " + prefix);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var work = BenchmarkWork.For(benchmarkCase);
        if (work.Unit != Unit || summary[benchmarkCase]?.ResultStatistics is not { Mean: > 0 } statistics)
            return "-";
        var perSecond = Compute(work.PerOperation, statistics.Mean);
        return style.PrintUnitsInContent ? FormatSi(perSecond) : perSecond.ToString("G6", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(benchmarkCase => BenchmarkWork.For(benchmarkCase).Unit == Unit);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}

/// <summary>
/// One <see cref="ThroughputColumn"/> for each work unit the summary's benchmarks declare; none for
/// benchmarks without one, whose operations per second the mean already says.
/// </summary>
public sealed class ThroughputColumnProvider : IColumnProvider
{
    public IEnumerable<IColumn> GetColumns(Summary summary) => summary.BenchmarksCases
        .Select(benchmarkCase => BenchmarkWork.For(benchmarkCase).Unit)
        .Where(unit => unit != BenchmarkWork.DefaultUnit)
        .Distinct(StringComparer.Ordinal)
        .Select(unit => new ThroughputColumn(unit));
}
