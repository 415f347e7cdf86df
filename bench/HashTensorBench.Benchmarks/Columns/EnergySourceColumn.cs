using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using HashTensorBench.Benchmarks.Diagnosers;

namespace HashTensorBench.Benchmarks.Columns;

/// <summary>
/// Where a benchmark's energy figures come from (<c>rapl</c>, <c>nvml-total-energy</c>, …), flagged
/// when the window was too short, or <c>unavailable: reason</c> when there are none.
/// </summary>
public sealed class EnergySourceColumn(EnergyDiagnoser diagnoser) : IColumn
{
    public string Id => "Energy.Source";

    public string ColumnName => "Energy source";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Metric;

    public int PriorityInCategory => 10;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Energy counter read over the actual workload iterations, or why there is none";

    /// <summary>The cell text for one reading.</summary>
    public static string Describe(EnergyFigures figures)
    {
        var reading = figures.Reading;
        if (!reading.IsMeasured)
            return $"unavailable: {reading.UnavailableReason}";
        return reading.IsTooShort
            ? string.Create(CultureInfo.InvariantCulture, $"{reading.Source} (too short: {reading.Duration.TotalSeconds:0.0} s)")
            : reading.Source;
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        diagnoser.Figures.TryGetValue(benchmarkCase, out var figures) ? Describe(figures) : "-";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(diagnoser.Figures.ContainsKey);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
