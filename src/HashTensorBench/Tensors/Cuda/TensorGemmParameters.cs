namespace HashTensorBench.Tensors.Cuda;

/// <summary>The sizes and scalars of one <see cref="TensorGemmKernel"/> launch, passed to every thread by value.</summary>
internal struct TensorGemmParameters
{
    /// <summary>A is M×K, B is K×N, C is M×N, all row-major and contiguous.</summary>
    public int M, N, K;

    /// <summary>FP16 and BF16: <c>C = Alpha·A·B + Beta·C</c> in FP32; a zero <see cref="Beta"/> means C is not read.</summary>
    public float Alpha, Beta;

    /// <summary>INT8: <c>C = IntAlpha·A·B + IntBeta·C</c> in int32 (wrapping), as cuBLAS's int8 GEMM with int32 scalars.</summary>
    public int IntAlpha, IntBeta;

    /// <summary>
    /// Nonzero when every row of A and B starts on a 16-byte boundary (K and N multiples of 16 bytes' worth of
    /// elements), so that the kernel stages tiles with <c>cp.async</c>; zero selects its byte-by-byte staging.
    /// </summary>
    public int Aligned;

    /// <summary>The parameters of an FP16 or BF16 product (2-byte elements).</summary>
    public static TensorGemmParameters ForFloat(int m, int n, int k, float alpha, float beta) => new()
    {
        M = m, N = n, K = k, Alpha = alpha, Beta = beta, Aligned = IsAligned(n, k, elementBytes: 2) ? 1 : 0,
    };

    /// <summary>The parameters of an INT8 product (1-byte elements, int32 scalars and C).</summary>
    public static TensorGemmParameters ForInt8(int m, int n, int k, int alpha, int beta) => new()
    {
        M = m, N = n, K = k, IntAlpha = alpha, IntBeta = beta, Aligned = IsAligned(n, k, elementBytes: 1) ? 1 : 0,
    };

    // Device buffers start at least 256-byte aligned, so rows of K and N elements are 16-byte aligned exactly
    // when K and N are multiples of 16 bytes.
    private static bool IsAligned(int n, int k, int elementBytes) => k * elementBytes % 16 == 0 && n * elementBytes % 16 == 0;
}
