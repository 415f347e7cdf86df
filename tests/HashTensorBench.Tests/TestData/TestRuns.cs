using HashTensorBench.Energy;
using HashTensorBench.Workloads;

namespace HashTensorBench.Tests.TestData;

/// <summary>Timed runs with chosen figures, as a steady device on a quiet machine would give them.</summary>
internal static class TestRuns
{
    /// <summary><paramref name="perSecond"/> in each of 12 one-second windows, inside <paramref name="energy"/>.</summary>
    public static TimedRun Steady(string device, string unit, double perSecond, EnergyReading energy) =>
        new(device, unit, perSecond * 12, TimeSpan.FromSeconds(12), energy,
            RateMeasurement.FromWindows(unit, Enumerable.Repeat(perSecond, 12), TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(1)),
            new MachineLoad(0, 0, null, null, 2, null));
}
