using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace HashTensorBench.Benchmarks.Columns;

/// <summary>
/// GFLOP/s from the mean time: the benchmark's floating-point operations per invocation, which
/// <paramref name="flopsOf"/> reads from its parameters, over the mean.
/// </summary>
public sealed class FlopsColumn(Func<BenchmarkCase, double> flopsOf) : IColumn
{
    public string Id => nameof(FlopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Billions of floating-point operations per second (a multiply-add is two), from the mean";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return meanNanoseconds is double mean && mean > 0 ? (flopsOf(benchmarkCase) / mean).ToString("F1", style.CultureInfo) : "NA";
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public override string ToString() => ColumnName;
}
