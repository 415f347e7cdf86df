using HashTensorBench.Energy;
using HashTensorBench.Hashing;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cpu;

namespace HashTensorBench.Devices;

/// <summary>The host processor: the SIMD sha256d search and GEMM on every core, and RAPL for energy. It holds nothing open.</summary>
public sealed class CpuComputeDevice : ComputeDevice
{
    internal CpuComputeDevice()
        : base(DeviceId.Cpu)
    {
    }

    /// <inheritdoc/>
    public override string Name => CpuDevice.Name;

    /// <inheritdoc/>
    public override long? MemoryBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>2^28 nonces, about a second on a desktop's cores.</summary>
    public override long PreferredChunk => 1L << 28;

    /// <inheritdoc/>
    public override IReadOnlyList<GemmElementType> ElementTypes => CpuMatrixMultiplier.SupportedElementTypes;

    /// <inheritdoc/>
    public override string SearchKernel => CpuSha256dKernels.Describe(CpuSha256dKernels.Default, CpuSha256dKernels.Rival);

    /// <summary>The micro-kernel of every CPU type (the narrow ones are widened to FP32 while packing).</summary>
    public override string GemmKernel(GemmElementType type) => ElementTypes.Contains(type)
        ? CpuGemmKernels.Default.ToString().ToLowerInvariant()
        : throw new NotSupportedException($"The CPU has no {type.Name} GEMM.");

    /// <inheritdoc/>
    public override INonceSearcher CreateSearcher(int? cpuThreads = null, Action<string>? notice = null)
    {
        var searcher = new CpuNonceSearcher(threads: cpuThreads);
        // Where the processor has a generated kernel's instructions but its code cannot run (its memory cannot be made
        // executable), the search falls back to a managed kernel, and says so.
        foreach (var (kernel, reason) in CpuSha256dKernels.Refused())
            notice?.Invoke($"the generated {kernel.ToString().ToLowerInvariant()} kernel cannot run: {reason}; searching with the managed {searcher.Kernel.ToString().ToLowerInvariant()} kernel.");
        return searcher;
    }

    /// <inheritdoc/>
    public override IMatrixMultiplier CreateMultiplier(int? cpuThreads = null) => new CpuMatrixMultiplier(threads: cpuThreads);

    /// <inheritdoc/>
    public override IEnergyMeter OpenEnergyMeter() => EnergyMeters.ForCpu();

    // The CPU holds nothing open: its searcher and multiplier need not close it.
    internal override INonceSearcher TakeSearcher(int? cpuThreads, Action<string>? notice) => CreateSearcher(cpuThreads, notice);

    internal override IMatrixMultiplier TakeMultiplier(int? cpuThreads) => CreateMultiplier(cpuThreads);
}
