namespace HashTensorBench.Gpu.Kernels;

/// <summary>The sizes and scalars of one GEMM launch, passed to every thread by value.</summary>
internal struct GemmKernelParameters
{
    /// <summary>A is M×K, B is K×N, C is M×N, all row-major and contiguous.</summary>
    public int M, N, K;

    /// <summary><c>C = Alpha·A·B + Beta·C</c>; a zero <see cref="Beta"/> means C is not read.</summary>
    public float Alpha, Beta;
}

/// <summary>
/// Four floats read or written as one 16-byte access: ILGPU aligns a shared array of these to 16 bytes and
/// emits <c>ld.shared.v4.f32</c>, which ptxas turns into one <c>LDS.128</c>.
/// </summary>
internal struct Float4
{
    public float X, Y, Z, W;
}
