using System.Runtime.Intrinsics;

namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// Which CPU search kernels this machine can run, best first, and which one a search uses.
/// </summary>
public static class CpuSha256dKernels
{
    /// <summary>The environment variable that forces a kernel: <c>scalar</c>, <c>avx2</c>, <c>avx512</c>, <c>shani</c>, <c>avx512gen</c> or <c>avx512sha</c>.</summary>
    public const string EnvironmentVariable = "HTB_CPU_KERNEL";

    /// <summary>Every kernel this machine supports, fastest first; <see cref="CpuSha256dKernel.Scalar"/> is always last.</summary>
    /// <remarks>
    /// The hybrid first where there are both AVX-512 and SHA-NI and each core runs one hardware thread
    /// (<see cref="CpuDevice.ThreadsPerCore"/> 1): on Zen 5 it searched 1.13× as fast as the generated AVX-512 kernel alone
    /// on one thread, but 0.88× while something outside the guest shared the core
    /// (docs/results/2026-12-06-cpu-zen5-sha256d-hybrid.md). With SMT on (or unknown), a search runs a thread on each
    /// hardware thread, so the two of a core would share the SHA unit and the vector units the hybrid counts on having
    /// to itself: there the generated AVX-512 kernel comes first and the hybrid second (unmeasured on an SMT machine).
    /// The generated AVX-512 kernel: on Zen 5 it searched 1.5× as fast as the managed AVX-512 kernel and as SHA-NI
    /// on one thread (docs/results/2026-12-06-cpu-zen5-sha256d-avx512gen.md). The managed AVX-512 kernel next, where the
    /// generated code cannot be mapped: it searched 1.05× (1.02–1.47×) as fast as SHA-NI on 2 threads, in 0.88× the
    /// CPU time, and they tied on one (docs/results/2026-12-05-cpu-zen5-shani.md). Where there is no AVX-512
    /// (Zen 1–3, most Intel client parts), SHA-NI comes first.
    /// </remarks>
    public static IReadOnlyList<CpuSha256dKernel> Supported { get; } =
        [.. Order(CpuDevice.ThreadsPerCore).Where(IsSupported)];

    // The variant table before what this machine supports is taken out of it.
    internal static CpuSha256dKernel[] Order(int? threadsPerCore) =>
    [
        .. threadsPerCore == 1 ? new[] { CpuSha256dKernel.Avx512Sha, CpuSha256dKernel.Avx512Gen } : [CpuSha256dKernel.Avx512Gen, CpuSha256dKernel.Avx512Sha],
        CpuSha256dKernel.Avx512, CpuSha256dKernel.ShaNi, CpuSha256dKernel.Avx2, CpuSha256dKernel.Scalar,
    ];

    /// <summary>Whether this machine can run <paramref name="kernel"/>.</summary>
    public static bool IsSupported(CpuSha256dKernel kernel) => WhyNotSupported(kernel) is null;

    /// <summary>
    /// Why this machine cannot run <paramref name="kernel"/>, or null when it can. For <see cref="CpuSha256dKernel.ShaNi"/>
    /// the first call generates the kernel and maps it executable, which a policy (SELinux's <c>execmem</c>, Windows'
    /// Arbitrary Code Guard) or an operating system other than Linux and Windows can refuse: the searches then use the
    /// managed kernels, and the reason says why.
    /// </summary>
    public static string? WhyNotSupported(CpuSha256dKernel kernel) => kernel switch
    {
        CpuSha256dKernel.Scalar => null,
        CpuSha256dKernel.Avx2 => Vector256Lanes.IsSupported ? null : "no AVX2 (or DOTNET_EnableAVX2=0)",
        CpuSha256dKernel.Avx512 => Vector512Lanes.IsSupported ? null : "no AVX-512 (or DOTNET_EnableAVX512=0)",
        CpuSha256dKernel.ShaNi => Sha256dShaNiKernel.WhyNotSupported(),
        CpuSha256dKernel.Avx512Gen => Sha256dAvx512Kernel.WhyNotSupported(),
        CpuSha256dKernel.Avx512Sha => Sha256dHybridKernel.WhyNotSupported(),
        _ => "not a kernel",
    };

    /// <summary>
    /// The generated kernels whose instructions the processor has but whose code could not be mapped executable, each
    /// with why: the searches then run a managed kernel, and <c>devices</c> and <c>hashrate</c> say so.
    /// </summary>
    public static IReadOnlyList<(CpuSha256dKernel Kernel, string Reason)> Refused()
    {
        var refused = new List<(CpuSha256dKernel, string)>();
        if (Sha256dAvx512Kernel.HasAvx512 && Sha256dShaNiKernel.HasShaExtensions && Sha256dHybridKernel.WhyNotSupported() is { } hybrid)
            refused.Add((CpuSha256dKernel.Avx512Sha, hybrid));
        if (Sha256dAvx512Kernel.HasAvx512 && Sha256dAvx512Kernel.WhyNotSupported() is { } avx512)
            refused.Add((CpuSha256dKernel.Avx512Gen, avx512));
        if (Sha256dShaNiKernel.HasShaExtensions && Sha256dShaNiKernel.WhyNotSupported() is { } shaNi)
            refused.Add((CpuSha256dKernel.ShaNi, shaNi));
        return refused;
    }

    /// <summary>A kernel's name as searchers and reports give it: <c>avx512sha</c>, or <c>avx512sha/avx512gen</c> where a rival races it.</summary>
    public static string Describe(CpuSha256dKernel kernel, CpuSha256dKernel? rival = null) =>
        kernel.ToString().ToLowerInvariant() + (rival is { } other ? "/" + other.ToString().ToLowerInvariant() : "");

    /// <summary>How many nonces the kernel hashes at once.</summary>
    public static int Lanes(CpuSha256dKernel kernel) => kernel switch
    {
        CpuSha256dKernel.Scalar => 1,
        CpuSha256dKernel.Avx2 => Vector256<uint>.Count,
        CpuSha256dKernel.Avx512 => Vector512<uint>.Count,
        CpuSha256dKernel.ShaNi => Sha256dShaNiKernel.Ways,
        CpuSha256dKernel.Avx512Gen => Sha256dAvx512Frame.Lanes,
        CpuSha256dKernel.Avx512Sha => Sha256dHybridKernel.Lanes(),
        _ => throw new ArgumentOutOfRangeException(nameof(kernel), kernel, null),
    };

    /// <summary>
    /// Writes the disassembly of every kernel generated as machine code (the SHA-NI kernel at each interleave,
    /// <c>sha256d-shani-xN.asm</c>, the AVX-512 one, <c>sha256d-avx512.asm</c>, and the hybrid of both,
    /// <c>sha256d-avx512-shani-x4.asm</c>) into <paramref name="directory"/>, with each block of rounds' instruction count.
    /// Generating needs neither SHA extensions nor AVX-512: this works on any machine.
    /// </summary>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> WriteGeneratedCode(string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        var codes = Enumerable.Range(1, Sha256dShaNiFrame.MaxWays).Select(Sha256dShaNiKernel.Generate)
            .Append(Sha256dAvx512Kernel.Generate()).Append(Sha256dHybridKernel.Generate());
        foreach (var code in codes)
        {
            string path = Path.Combine(directory, code.Name + ".asm");
            File.WriteAllText(path, code.Disassembly());
            files.Add(path);
        }
        return files;
    }

    /// <summary>The kernel that <see cref="EnvironmentVariable"/> names, or else the fastest supported.</summary>
    /// <exception cref="ArgumentException">The variable names no kernel.</exception>
    /// <exception cref="PlatformNotSupportedException">The variable names a kernel this machine cannot run.</exception>
    public static CpuSha256dKernel Default => KernelSelection.FromEnvironment(EnvironmentVariable, "CPU kernel", WhyNotSupported, Supported);

    /// <summary>
    /// The kernel a search that is given none races against <see cref="Default"/>, chunk by chunk on each thread (see
    /// <see cref="CpuNonceSearcher"/>): where both the hybrid and the generated AVX-512 kernel run and
    /// <see cref="EnvironmentVariable"/> forces neither, the one of the two that is not first; otherwise none. Which of
    /// them is faster depends on what else shares the core, and that changes while a search runs.
    /// </summary>
    public static CpuSha256dKernel? Rival =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable)) ? null
        : Supported is [CpuSha256dKernel.Avx512Sha, CpuSha256dKernel.Avx512Gen, ..] ? CpuSha256dKernel.Avx512Gen
        : Supported is [CpuSha256dKernel.Avx512Gen, CpuSha256dKernel.Avx512Sha, ..] ? CpuSha256dKernel.Avx512Sha
        : null;

    /// <summary>Parses a kernel name (case-insensitive) and checks that this machine runs it.</summary>
    /// <exception cref="ArgumentException">The name is not a kernel.</exception>
    /// <exception cref="PlatformNotSupportedException">This machine cannot run that kernel.</exception>
    public static CpuSha256dKernel Parse(string name) => KernelSelection.Parse(name, "CPU kernel", WhyNotSupported, Supported);
}
