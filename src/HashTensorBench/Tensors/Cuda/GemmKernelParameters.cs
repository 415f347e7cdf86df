namespace HashTensorBench.Tensors.Cuda;

/// <summary>The sizes and scalars of one GEMM launch, passed to every thread by value.</summary>
internal struct GemmKernelParameters
{
    /// <summary>A is M×K, B is K×N, C is M×N, all row-major and contiguous.</summary>
    public int M, N, K;

    /// <summary><c>C = Alpha·A·B + Beta·C</c>; a zero <see cref="Beta"/> means C is not read.</summary>
    public float Alpha, Beta;

    /// <summary>
    /// Nonzero when every row of A and B starts on a 16-byte boundary (K and N multiples of 16 bytes' worth of
    /// elements), so that the kernels load 16 bytes at a time and check bounds once per vector.
    /// </summary>
    public int Vectorized;
}

/// <summary>Four words read or written as one 16-byte access, like <see cref="Float4"/>.</summary>
internal struct UInt4
{
    public uint X, Y, Z, W;
}

/// <summary>
/// Four floats read or written as one 16-byte access: ILGPU aligns a shared array of these to 16 bytes and
/// emits <c>ld.shared.v4.f32</c>, which ptxas turns into one <c>LDS.128</c>.
/// </summary>
internal struct Float4
{
    public float X, Y, Z, W;
}

/// <summary>
/// How a GEMM kernel is launched, carried by the kernel itself: threads per block, the grid for a product, and the
/// elements one 16-byte vector load holds (rows whose length is a multiple of it load 16 bytes at a time).
/// </summary>
/// <param name="Threads">Threads per block.</param>
/// <param name="GridSize">Blocks along x (N) and y (M) for an M×N product.</param>
/// <param name="VectorWidth">Elements per 16-byte load: 4 floats, 8 halves.</param>
internal sealed record GemmLaunch(int Threads, Func<int, int, (int X, int Y)> GridSize, int VectorWidth);
