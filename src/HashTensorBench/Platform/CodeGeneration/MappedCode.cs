namespace HashTensorBench.Platform.CodeGeneration;

/// <summary>
/// A generated kernel mapped read-execute: its entry address, or, where it could not be mapped, why (0 and the reason,
/// kept so that the kernel says it at every ask and its callers fall back to a managed one).
/// </summary>
internal sealed record MappedCode(nint Address, string? Reason)
{
    /// <summary>Maps <paramref name="code"/> (<see cref="ExecutableMemory.TryMap"/>).</summary>
    public static MappedCode Map(GeneratedCode code) =>
        ExecutableMemory.TryMap(code.Bytes.Span, out nint address, out string? reason) ? new(address, null) : new(0, reason);
}
