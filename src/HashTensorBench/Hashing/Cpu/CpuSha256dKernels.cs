using System.Runtime.Intrinsics;

namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// Which CPU search kernels this machine can run, best first, and which one a search uses.
/// </summary>
public static class CpuSha256dKernels
{
    /// <summary>The environment variable that forces a kernel: <c>scalar</c>, <c>avx2</c> or <c>avx512</c>.</summary>
    public const string EnvironmentVariable = "HTB_CPU_KERNEL";

    /// <summary>Every kernel this machine supports, fastest first; <see cref="CpuSha256dKernel.Scalar"/> is always last.</summary>
    public static IReadOnlyList<CpuSha256dKernel> Supported { get; } =
        [.. new[] { CpuSha256dKernel.Avx512, CpuSha256dKernel.Avx2, CpuSha256dKernel.Scalar }.Where(IsSupported)];

    /// <summary>Whether this machine can run <paramref name="kernel"/>.</summary>
    public static bool IsSupported(CpuSha256dKernel kernel) => kernel switch
    {
        CpuSha256dKernel.Scalar => true,
        CpuSha256dKernel.Avx2 => Vector256Lanes.IsSupported,
        CpuSha256dKernel.Avx512 => Vector512Lanes.IsSupported,
        _ => false,
    };

    /// <summary>How many nonces the kernel hashes at once.</summary>
    public static int Lanes(CpuSha256dKernel kernel) => kernel switch
    {
        CpuSha256dKernel.Scalar => 1,
        CpuSha256dKernel.Avx2 => Vector256<uint>.Count,
        CpuSha256dKernel.Avx512 => Vector512<uint>.Count,
        _ => throw new ArgumentOutOfRangeException(nameof(kernel), kernel, null),
    };

    /// <summary>The kernel that <see cref="EnvironmentVariable"/> names, or else the fastest supported.</summary>
    /// <exception cref="ArgumentException">The variable names no kernel.</exception>
    /// <exception cref="PlatformNotSupportedException">The variable names a kernel this machine cannot run.</exception>
    public static CpuSha256dKernel Default => KernelSelection.FromEnvironment(EnvironmentVariable, "CPU kernel", IsSupported, Supported);

    /// <summary>Parses a kernel name (case-insensitive) and checks that this machine runs it.</summary>
    /// <exception cref="ArgumentException">The name is not a kernel.</exception>
    /// <exception cref="PlatformNotSupportedException">This machine cannot run that kernel.</exception>
    public static CpuSha256dKernel Parse(string name) => KernelSelection.Parse(name, "CPU kernel", IsSupported, Supported);
}
