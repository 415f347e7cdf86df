namespace HashTensorBench;

/// <summary>
/// Choosing one of several instruction-set variants of a CPU kernel by name: the shared rules of
/// <see cref="Hashing.Cpu.CpuSha256dKernels"/> and <see cref="Tensors.Cpu.CpuGemmKernels"/>.
/// </summary>
internal static class KernelSelection
{
    /// <summary>The kernel an environment variable names, or else the first (fastest) supported one.</summary>
    public static TKernel FromEnvironment<TKernel>(string variable, string what, Func<TKernel, string?> whyNotSupported, IReadOnlyList<TKernel> supported)
        where TKernel : struct, Enum
    {
        string? forced = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(forced) ? supported[0] : Parse(forced, what, whyNotSupported, supported);
    }

    /// <summary>
    /// Parses a kernel name (case-insensitive) and checks that this machine runs it; <paramref name="whyNotSupported"/>
    /// says why a kernel cannot run here, or null when it can.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a kernel.</exception>
    /// <exception cref="PlatformNotSupportedException">This machine cannot run that kernel.</exception>
    public static TKernel Parse<TKernel>(string name, string what, Func<TKernel, string?> whyNotSupported, IReadOnlyList<TKernel> supported)
        where TKernel : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Enum.TryParse(name.Trim(), ignoreCase: true, out TKernel kernel) || !Enum.IsDefined(kernel))
            throw new ArgumentException($"Unknown {what} \"{name}\"; expected one of: {Names(Enum.GetValues<TKernel>())}.", nameof(name));
        if (whyNotSupported(kernel) is { } reason)
            throw new PlatformNotSupportedException($"This processor cannot run the {Names([kernel])} {what} ({reason}); it supports: {Names(supported)}.");
        return kernel;
    }

    private static string Names<TKernel>(IEnumerable<TKernel> kernels) where TKernel : struct, Enum =>
        string.Join(", ", kernels.Select(k => k.ToString().ToLowerInvariant()));
}
