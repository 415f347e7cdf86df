using System.Globalization;

namespace HashTensorBench.Platform.Cuda;

/// <summary>A CUDA device as the driver describes it.</summary>
/// <param name="Index">The CUDA device index, as in <c>cuda:N</c>.</param>
/// <param name="Name">The product name, such as "NVIDIA H100 80GB HBM3".</param>
/// <param name="Multiprocessors">Streaming multiprocessors.</param>
/// <param name="ClockMHz">The maximum SM clock the driver reports.</param>
/// <param name="MemoryBytes">Device memory.</param>
/// <param name="DriverVersion">The CUDA version the driver supports, such as "13.0".</param>
/// <param name="Architecture">The compute capability ILGPU sees, such as "SM_90".</param>
/// <param name="InstructionSet">The PTX ISA ILGPU will emit for it, such as "ISA_88".</param>
/// <param name="PciBusId">The PCI bus id, as NVML names the device ("00000000:19:00.0").</param>
/// <param name="PtxTarget">The <c>.target</c> line of the PTX that ILGPU writes for this device (it caps it at sm_80).</param>
public sealed record GpuDevice(int Index, string Name, int Multiprocessors, int ClockMHz, long MemoryBytes,
    string DriverVersion, string Architecture, string InstructionSet, string PciBusId, string PtxTarget)
{
    /// <summary>What a CUDA device's name starts with, as in <c>cuda:0</c>: written here once; <c>DeviceId</c> parses it.</summary>
    public const string IdPrefix = "cuda:";

    /// <summary>The device's name on the command line and in reports.</summary>
    public string Id => IdOf(Index);

    /// <summary>The name of CUDA device <paramref name="index"/>, such as <c>cuda:0</c>.</summary>
    public static string IdOf(int index) => string.Create(CultureInfo.InvariantCulture, $"{IdPrefix}{index}");

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Id} {Name}: {Multiprocessors} SMs at up to {ClockMHz} MHz, {MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB, " +
        $"driver CUDA {DriverVersion}, {Architecture} ({InstructionSet}, PTX {PtxTarget}), PCI {PciBusId}";
}
