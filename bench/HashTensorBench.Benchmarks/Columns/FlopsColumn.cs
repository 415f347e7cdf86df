using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace HashTensorBench.Benchmarks.Columns;

/// <summary>
/// GFLOP/s: the benchmark's floating-point operations per invocation, which <paramref name="flopsOf"/>
/// reads from its parameters, over the mean time, or over the fastest iteration where
/// <paramref name="best"/> is set (on a shared machine, other work inflates the mean; the best
/// iteration is the one it disturbed least).
/// </summary>
public sealed class FlopsColumn(Func<BenchmarkCase, double> flopsOf, bool best = false) : IColumn
{
    public string Id => nameof(FlopsColumn) + (best ? ".Best" : "");

    public string ColumnName => best ? "GFLOP/s (best)" : "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Billions of floating-point operations per second (a multiply-add is two), from the {(best ? "fastest iteration" : "mean")}";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        double nanoseconds = statistics is null ? 0 : best ? statistics.Min : statistics.Mean;
        return nanoseconds > 0 ? (flopsOf(benchmarkCase) / nanoseconds).ToString("F1", style.CultureInfo) : "NA";
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public override string ToString() => ColumnName;
}
