using System.Globalization;
using System.Reflection;
using HashTensorBench.Hashing.Cuda;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors.Cuda;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Devices;

/// <summary>
/// Every CUDA kernel of the library, compiled to PTX with ILGPU's PTX backend on any machine (no GPU or
/// driver needed), so that <c>ptxas</c>/<c>cuobjdump</c> can show what a GPU would run.
/// </summary>
public static class PtxExport
{
    /// <summary>The kernels by file name.</summary>
    public static IReadOnlyDictionary<string, GpuKernel> All { get; } = new Dictionary<string, GpuKernel>(
        GpuGemmKernels.All.Select(k => KeyValuePair.Create(k.ExportName, k.Export)))
    {
        ["sha256d"] = new(Method(typeof(Sha256dKernel), nameof(Sha256dKernel.Search)), default),
    };

    /// <summary>Writes <c>NAME.ptx</c> for every kernel into <paramref name="directory"/>; returns the files written.</summary>
    /// <param name="directory">Created if missing.</param>
    /// <param name="architecture">Such as <c>sm_90</c> (H100/H200).</param>
    /// <param name="instructionSet">The PTX ISA such as <c>7.8</c>, the newest CUDA 11.8's ptxas reads; a GPU's driver accepts older ones.</param>
    /// <exception cref="FormatException">The architecture or ISA is malformed.</exception>
    /// <exception cref="ArgumentException">
    /// ILGPU does not know the architecture or ISA, or the architecture is older than <see cref="MinimumArchitecture"/>
    /// (the FP16 kernel's <c>mma.sync</c> would be written under a <c>.target</c> that has no such instruction).
    /// </exception>
    public static IReadOnlyList<string> WritePtx(string directory, string architecture = "sm_90", string instructionSet = "7.8")
    {
        var arch = ParseArchitecture(architecture);
        var isa = ParseInstructionSet(instructionSet);
        if (!Architectures.Contains(arch))
            throw new ArgumentException($"ILGPU knows no architecture sm_{arch.Major}{arch.Minor}; known: {string.Join(", ", Architectures.Select(Name))}.", nameof(architecture));
        if (arch < MinimumArchitecture)
            throw new ArgumentException($"{Name(arch)} has no tensor cores for the FP16 GEMM's mma.sync.aligned.m16n8k16, which needs {Name(MinimumArchitecture)} or newer.", nameof(architecture));
        if (!InstructionSets.Contains(isa))
            throw new ArgumentException($"ILGPU knows no PTX ISA {isa.Major}.{isa.Minor}; known: {InstructionSets[0].Major}.{InstructionSets[0].Minor} to {InstructionSets[^1].Major}.{InstructionSets[^1].Minor}.", nameof(instructionSet));
        if (isa < MinimumInstructionSet)
            throw new ArgumentException($"PTX ISA {isa.Major}.{isa.Minor} has no mma.sync.aligned.m16n8k16 for the FP16 GEMM; it needs {MinimumInstructionSet.Major}.{MinimumInstructionSet.Minor} or newer.", nameof(instructionSet));
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        foreach (var (name, kernel) in All)
        {
            string path = Path.Combine(directory, name + ".ptx");
            File.WriteAllText(path, PtxCompiler.Compile(kernel.Method, arch, isa, kernel.Specialization, kernel.PromoteLocals));
            files.Add(path);
        }
        return files;
    }

    /// <summary>The oldest architecture every kernel runs on: sm_80 (A100), the first with FP16 <c>mma.sync.aligned.m16n8k16</c>.</summary>
    public static CudaArchitecture MinimumArchitecture => CudaArchitecture.SM_80;

    /// <summary>The oldest PTX ISA with <c>mma.sync.aligned.m16n8k16</c> for FP16: 7.0.</summary>
    public static CudaInstructionSet MinimumInstructionSet => CudaInstructionSet.ISA_70;

    /// <summary>The architectures ILGPU knows, oldest first.</summary>
    public static IReadOnlyList<CudaArchitecture> Architectures { get; } = Known<CudaArchitecture>();

    /// <summary>The PTX ISA versions ILGPU knows, oldest first.</summary>
    public static IReadOnlyList<CudaInstructionSet> InstructionSets { get; } = Known<CudaInstructionSet>();

    /// <summary>An architecture as <c>sm_90</c>.</summary>
    public static string Name(CudaArchitecture architecture) => $"sm_{architecture.Major}{architecture.Minor}";

    private static T[] Known<T>() where T : IComparable<T> =>
        [.. typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(T)).Select(f => (T)f.GetValue(null)!).Order()];

    private static MethodInfo Method(Type type, string name) => type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;

    private static CudaArchitecture ParseArchitecture(string text)
    {
        var digits = text.Trim().AsSpan();
        if (digits.StartsWith("sm_", StringComparison.OrdinalIgnoreCase))
            digits = digits[3..];
        if (digits.Length is 2 or 3 && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            return new CudaArchitecture(value / 10, value % 10);
        throw new FormatException($"An architecture is written like sm_90; got \"{text}\".");
    }

    private static CudaInstructionSet ParseInstructionSet(string text)
    {
        var parts = text.Trim().Split('.');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minor))
            return new CudaInstructionSet(major, minor);
        throw new FormatException($"A PTX ISA is written like 7.8; got \"{text}\".");
    }
}
