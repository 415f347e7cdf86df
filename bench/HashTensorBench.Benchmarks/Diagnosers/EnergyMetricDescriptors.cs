using System.Collections.Concurrent;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;

namespace HashTensorBench.Benchmarks.Diagnosers;

/// <summary>The metrics <see cref="EnergyDiagnoser"/> returns: one descriptor instance per figure (and per work unit).</summary>
public static class EnergyMetricDescriptors
{
    private static readonly ConcurrentDictionary<string, IMetricDescriptor> WorkPerJouleByUnit = new(StringComparer.Ordinal);

    /// <summary>The device's average power over the actual workload stage, in watts.</summary>
    public static IMetricDescriptor AveragePower { get; } = new Descriptor("Energy.AverageWatts", "Avg W",
        "Average power of the measured device over the actual workload iterations", "W", "0.0", theGreaterTheBetter: false, priority: 0);

    /// <summary>The device's energy over the actual workload stage, in joules.</summary>
    public static IMetricDescriptor Energy { get; } = new Descriptor("Energy.Joules", "Energy J",
        "Energy of the measured device over the actual workload iterations", "J", "0.0", theGreaterTheBetter: false, priority: 1);

    /// <summary>Work per joule of one unit (<c>H/J</c>, <c>FLOP/J</c>): the figure that compares devices.</summary>
    public static IMetricDescriptor WorkPerJoule(string unit) => WorkPerJouleByUnit.GetOrAdd(unit, static unit =>
        new Descriptor($"Energy.{unit}PerJoule", unit + "/J",
            $"{unit} of work per joule over the actual workload iterations", unit + "/J", "G4", theGreaterTheBetter: true, priority: 2));

    private sealed class Descriptor(string id, string displayName, string legend, string unit, string numberFormat,
        bool theGreaterTheBetter, int priority) : IMetricDescriptor
    {
        public string Id => id;

        public string DisplayName => displayName;

        public string Legend => legend;

        public string NumberFormat => numberFormat;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Unit => unit;

        public bool TheGreaterTheBetter => theGreaterTheBetter;

        public int PriorityInCategory => priority;

        // Only measured readings become metrics, so every metric present is a real figure.
        public bool GetIsAvailable(Metric metric) => true;
    }
}
