using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Reports;
using HashTensorBench.Benchmarks.Columns;
using HashTensorBench.Energy;

namespace HashTensorBench.Benchmarks.Diagnosers;

/// <summary>
/// A benchmark's energy figures: the reading over its actual workload stage and the work done in it.
/// The window also holds the engine's few milliseconds between iterations (GC, iteration setup), so
/// work per joule errs low, never high; <see cref="WorkloadSeconds"/> against the window shows by how much.
/// </summary>
/// <param name="Reading">The device's reading over the actual workload stage.</param>
/// <param name="Work">The benchmark's unit and work per operation.</param>
/// <param name="Operations">BenchmarkDotNet operations in the actual workload iterations.</param>
/// <param name="WorkloadSeconds">The time those iterations measured.</param>
public sealed record EnergyFigures(EnergyReading Reading, BenchmarkWork Work, long Operations, double WorkloadSeconds)
{
    /// <summary>Units of work done in the window.</summary>
    public double TotalWork => Operations * Work.PerOperation;

    /// <summary>Units of work per joule; null when the reading is unavailable or holds no energy.</summary>
    public double? WorkPerJoule => Reading.Joules is > 0 and var joules ? TotalWork / joules : null;

    /// <summary>The figures from one launch's measurements: only the actual workload iterations count.</summary>
    public static EnergyFigures From(EnergyReading reading, BenchmarkWork work, IEnumerable<Measurement> measurements)
    {
        long operations = 0;
        double nanoseconds = 0;
        foreach (var measurement in measurements)
        {
            if (measurement.IterationMode != IterationMode.Workload || measurement.IterationStage != IterationStage.Actual)
                continue;
            operations += measurement.Operations;
            nanoseconds += measurement.Nanoseconds;
        }
        return new EnergyFigures(reading, work, operations, nanoseconds * 1e-9);
    }

    /// <summary>The metrics for BenchmarkDotNet's table: none at all when the reading is unavailable.</summary>
    public IEnumerable<Metric> ToMetrics()
    {
        if (Reading.Joules is not { } joules || Reading.AverageWatts is not { } watts)
            yield break;
        yield return new Metric(EnergyMetricDescriptors.AveragePower, watts);
        yield return new Metric(EnergyMetricDescriptors.Energy, joules);
        if (WorkPerJoule is { } perJoule)
            yield return new Metric(EnergyMetricDescriptors.WorkPerJoule(Work.Unit), perJoule);
    }
}
