using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace HashTensorBench.Tensors.Cpu;

/// <summary>
/// GEMM on the CPU: packed and cache-blocked around a SIMD micro-kernel; on several threads, they share each packed
/// block of the operand read from L3 and take blocks of the other from a counter (see <see cref="GemmDriver{TKernel}"/>).
/// </summary>
public sealed class CpuMatrixMultiplier : IMatrixMultiplier
{
    // About 0.1 ms of work per thread on one core: below that, waking threads costs more than it saves.
    private const long DefaultMinFlopsPerThread = 1 << 22;

    private readonly long _minFlopsPerThread;

    /// <summary>Creates a multiplier.</summary>
    /// <param name="kernel">The micro-kernel; by default <see cref="CpuGemmKernels.Default"/>.</param>
    /// <param name="threads">How many threads; by default one per logical processor.</param>
    /// <exception cref="PlatformNotSupportedException">This machine cannot run <paramref name="kernel"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public CpuMatrixMultiplier(CpuGemmKernel? kernel = null, int? threads = null)
        : this(kernel, threads, blocking: null, DefaultMinFlopsPerThread)
    {
    }

    /// <summary>Tests shrink the blocks and the work per thread so that small products cross every block edge and thread split.</summary>
    internal CpuMatrixMultiplier(CpuGemmKernel? kernel, int? threads, GemmBlocking? blocking, long minFlopsPerThread)
    {
        Kernel = kernel ?? CpuGemmKernels.Default;
        if (!CpuGemmKernels.IsSupported(Kernel))
            throw new PlatformNotSupportedException($"This processor cannot run the {Kernel.ToString().ToLowerInvariant()} GEMM kernel.");
        Threads = threads ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(threads));
        Blocking = blocking ?? Kernel switch
        {
            CpuGemmKernel.Avx512 => Vector512MicroKernel.Blocking,
            CpuGemmKernel.Avx2 => Vector256MicroKernel.Blocking,
            _ => ScalarMicroKernel.Blocking,
        };
        _minFlopsPerThread = minFlopsPerThread;
    }

    /// <summary>The micro-kernel every thread runs.</summary>
    public CpuGemmKernel Kernel { get; }

    /// <summary>At most how many threads one multiply uses (small products use fewer).</summary>
    public int Threads { get; }

    /// <summary>The cache blocking of every multiply.</summary>
    internal GemmBlocking Blocking { get; }

    /// <inheritdoc/>
    public string Name => $"cpu/{Kernel.ToString().ToLowerInvariant()} x{Threads}";

    /// <summary>
    /// FP32, FP16, BF16 and INT8 inputs, the narrow ones widened exactly to FP32 while packing. INT8 runs on the same
    /// FP32 kernels, exactly: a product of two 8-bit integers is at most 2¹⁴, so a K slice (at most Kc ≤ 1024 steps)
    /// sums to at most 2²⁴ in magnitude, where every integer is a float; each slice's sum is converted to INT32 and
    /// added there, wrapping like the GPU's INT8 GEMM. It runs at the FP32 rate, not at the rate of integer dot-product
    /// instructions (VNNI), which this library does not use yet.
    /// </summary>
    public static IReadOnlyList<GemmElementType> SupportedElementTypes { get; } =
        [GemmElementType.Fp32, GemmElementType.Fp16, GemmElementType.Bf16, GemmElementType.Int8];

    /// <inheritdoc/>
    public IReadOnlyList<GemmElementType> ElementTypes => SupportedElementTypes;

    /// <inheritdoc/>
    public unsafe void Multiply<TInput, TAccumulator>(GemmShape shape, ReadOnlySpan<TInput> a, ReadOnlySpan<TInput> b, Span<TAccumulator> c,
        TAccumulator alpha, TAccumulator beta)
        where TInput : unmanaged
        where TAccumulator : unmanaged
    {
        this.CheckSupports(GemmElementType.Of<TInput, TAccumulator>());
        shape.CheckOperands(a, b, c);
        // Every type supported here accumulates in FP32 within a K slice, and INT8 across slices in INT32.
        fixed (TInput* pa = a, pb = b)
        fixed (TAccumulator* pc = c)
        {
            if (typeof(TAccumulator) == typeof(int))
            {
                Debug.Assert(Math.Max(Blocking.Kc, Blocking.SharedKc) <= MaxExactInt8Slice);
                Run(shape, pa, pb, (int*)pc, Unsafe.BitCast<TAccumulator, int>(alpha), Unsafe.BitCast<TAccumulator, int>(beta));
            }
            else
            {
                Run(shape, pa, pb, (float*)pc, Unsafe.BitCast<TAccumulator, float>(alpha), Unsafe.BitCast<TAccumulator, float>(beta));
            }
        }
    }

    // The deepest K slice whose INT8 sums a float holds exactly: 1024 · 2¹⁴ = 2²⁴.
    internal const int MaxExactInt8Slice = 1024;

    private unsafe void Run<T, TC>(GemmShape shape, T* a, T* b, TC* c, TC alpha, TC beta)
        where T : unmanaged
        where TC : unmanaged, INumberBase<TC>
    {
        switch (Kernel)
        {
            case CpuGemmKernel.Avx512:
                GemmDriver<Vector512MicroKernel>.Multiply(shape, a, b, c, alpha, beta, Blocking, Threads, _minFlopsPerThread);
                break;
            case CpuGemmKernel.Avx2:
                GemmDriver<Vector256MicroKernel>.Multiply(shape, a, b, c, alpha, beta, Blocking, Threads, _minFlopsPerThread);
                break;
            default:
                GemmDriver<ScalarMicroKernel>.Multiply(shape, a, b, c, alpha, beta, Blocking, Threads, _minFlopsPerThread);
                break;
        }
    }

    /// <summary>Nothing to release: the CPU's threads are shared by the process.</summary>
    public void Dispose()
    {
    }
}
