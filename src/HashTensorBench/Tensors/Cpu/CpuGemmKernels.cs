using System.Runtime.Intrinsics.X86;

namespace HashTensorBench.Tensors.Cpu;

/// <summary>Which CPU GEMM kernels this machine can run, best first, and which one a multiply uses.</summary>
public static class CpuGemmKernels
{
    /// <summary>The environment variable that forces a kernel: <c>scalar</c>, <c>avx2</c> or <c>avx512</c>.</summary>
    public const string EnvironmentVariable = "HTB_CPU_GEMM_KERNEL";

    /// <summary>Every kernel this machine supports, fastest first; <see cref="CpuGemmKernel.Scalar"/> is always last.</summary>
    public static IReadOnlyList<CpuGemmKernel> Supported { get; } =
        [.. new[] { CpuGemmKernel.Avx512, CpuGemmKernel.Avx2, CpuGemmKernel.Scalar }.Where(IsSupported)];

    /// <summary>Whether this machine can run <paramref name="kernel"/>.</summary>
    public static bool IsSupported(CpuGemmKernel kernel) => kernel switch
    {
        CpuGemmKernel.Scalar => true,
        CpuGemmKernel.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        CpuGemmKernel.Avx512 => Avx512F.IsSupported,
        _ => false,
    };

    private static string? WhyNotSupported(CpuGemmKernel kernel) => IsSupported(kernel) ? null : "its instructions are missing or disabled";

    /// <summary>The kernel that <see cref="EnvironmentVariable"/> names, or else the fastest supported.</summary>
    /// <exception cref="ArgumentException">The variable names no kernel.</exception>
    /// <exception cref="PlatformNotSupportedException">The variable names a kernel this machine cannot run.</exception>
    public static CpuGemmKernel Default => KernelSelection.FromEnvironment(EnvironmentVariable, "CPU GEMM kernel", WhyNotSupported, Supported);

    /// <summary>Parses a kernel name (case-insensitive) and checks that this machine runs it.</summary>
    /// <exception cref="ArgumentException">The name is not a kernel.</exception>
    /// <exception cref="PlatformNotSupportedException">This machine cannot run that kernel.</exception>
    public static CpuGemmKernel Parse(string name) => KernelSelection.Parse(name, "CPU GEMM kernel", WhyNotSupported, Supported);
}
