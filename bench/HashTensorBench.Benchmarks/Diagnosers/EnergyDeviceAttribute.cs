using System.Reflection;
using BenchmarkDotNet.Running;

namespace HashTensorBench.Benchmarks.Diagnosers;

/// <summary>The devices whose energy <see cref="EnergyDiagnoser"/> reads.</summary>
public enum EnergyDeviceKind
{
    /// <summary>The CPU packages (RAPL).</summary>
    Cpu,

    /// <summary>The GPU chosen for the run (NVML), <c>--energy-gpu</c>.</summary>
    Gpu,
}

/// <summary>
/// Which device's energy a benchmark uses, for <see cref="EnergyDiagnoser"/>: the CPU unless a
/// benchmark (method or class) says <c>[EnergyDevice(EnergyDeviceKind.Gpu)]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true)]
public sealed class EnergyDeviceAttribute(EnergyDeviceKind device) : Attribute
{
    /// <summary>The device.</summary>
    public EnergyDeviceKind Device { get; } = device;

    /// <summary>The device of <paramref name="benchmarkCase"/>.</summary>
    public static EnergyDeviceKind For(BenchmarkCase benchmarkCase) =>
        (benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<EnergyDeviceAttribute>()
            ?? benchmarkCase.Descriptor.Type.GetCustomAttribute<EnergyDeviceAttribute>(inherit: true))?.Device
        ?? EnergyDeviceKind.Cpu;
}
