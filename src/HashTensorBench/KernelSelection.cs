namespace HashTensorBench;

/// <summary>
/// Choosing one of several instruction-set variants of a CPU kernel by name: the shared rules of
/// <see cref="Hashing.Cpu.CpuSha256dKernels"/> and <see cref="Tensors.Cpu.CpuGemmKernels"/>.
/// </summary>
internal static class KernelSelection
{
    /// <summary>
    /// The kernel an environment variable names, or else the first (fastest) supported one. A name that is no kernel
    /// is refused naming the variable, which the user may have set long before and forgotten.
    /// </summary>
    public static TKernel FromEnvironment<TKernel>(string variable, string what, Func<TKernel, string?> whyNotSupported, IReadOnlyList<TKernel> supported)
        where TKernel : struct, Enum
    {
        string? forced = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(forced) ? supported[0] : Parse(forced, what, whyNotSupported, supported, $"{variable}: ");
    }

    /// <summary>
    /// Parses a kernel name (case-insensitive) and checks that this machine runs it; <paramref name="whyNotSupported"/>
    /// says why a kernel cannot run here, or null when it can.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="what">What the kernels are, for messages.</param>
    /// <param name="whyNotSupported">Why this machine cannot run a kernel, or null when it can.</param>
    /// <param name="supported">The kernels this machine runs.</param>
    /// <param name="origin">Where the name came from, starting each message (such as the variable's name).</param>
    /// <exception cref="ArgumentException">The name is not a kernel.</exception>
    /// <exception cref="PlatformNotSupportedException">This machine cannot run that kernel.</exception>
    public static TKernel Parse<TKernel>(string name, string what, Func<TKernel, string?> whyNotSupported, IReadOnlyList<TKernel> supported, string origin = "")
        where TKernel : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Enum.TryParse(name.Trim(), ignoreCase: true, out TKernel kernel) || !Enum.IsDefined(kernel))
            throw new ArgumentException($"{origin}Unknown {what} \"{name}\"; expected one of: {Names(Enum.GetValues<TKernel>())}.", nameof(name));
        if (whyNotSupported(kernel) is { } reason)
            throw new PlatformNotSupportedException($"{origin}This processor cannot run the {Names([kernel])} {what} ({reason}); it supports: {Names(supported)}.");
        return kernel;
    }

    private static string Names<TKernel>(IEnumerable<TKernel> kernels) where TKernel : struct, Enum =>
        string.Join(", ", kernels.Select(k => k.ToString().ToLowerInvariant()));
}
