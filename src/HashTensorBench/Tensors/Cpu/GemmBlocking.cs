namespace HashTensorBench.Tensors.Cpu;

/// <summary>
/// Cache blocking of the packed GEMM: a <see cref="Kc"/>-deep slice of K at a time, in one of two loop orders.
/// By default, per slice, <see cref="Mc"/> rows of A packed once (read from L3 by every B block), and
/// <see cref="Nc"/> columns of B packed into a block that stays in L2 while each A micro-panel in L1 sweeps it.
/// With <see cref="ABlockInL2"/>, the BLIS order: a large block of B (<see cref="Nc"/> columns) packed once per
/// slice and read from L3, an A block of <see cref="Mc"/> rows that stays in L2, and each B micro-panel in L1
/// swept by the A micro-panels: per micro-tile it streams Mr·Kc floats from L2 instead of Nr·Kc.
/// </summary>
/// <param name="Mc">Rows of A per packed block; a multiple of the kernel's Mr.</param>
/// <param name="Nc">Columns of B per packed block; a multiple of the kernel's Nr.</param>
/// <param name="Kc">Depth of both packed blocks.</param>
/// <param name="ABlockInL2">The BLIS loop order (see above) instead of the default.</param>
/// <param name="SharedKc">Depth of the blocks where several threads share them; 0: <see cref="Kc"/>. Deeper slices
/// read and write C fewer times, which counts more where the threads share the memory bandwidth.</param>
internal readonly record struct GemmBlocking(int Mc, int Nc, int Kc, bool ABlockInL2 = false, int SharedKc = 0)
{
    /// <summary>
    /// The slice depth where threads share blocks, for a product <paramref name="k"/> deep: <see cref="SharedKc"/> (or
    /// <see cref="Kc"/> where that is 0), but where all of K would be one slice and K is at least two of
    /// <see cref="Kc"/> (1024³ under SharedKc 1024), half of K: with two slices the threads pack the second slice's block
    /// while they still multiply by the first, instead of all of them packing the whole of A from memory before any
    /// multiplies. 1024³ on two threads of a 2-vCPU Zen 5: about 1.02× (paired runs with either blocking in both positions).
    /// </summary>
    public int SharedDepth(int k) => SharedKc == 0 ? Kc : k <= SharedKc && k >= 2 * Kc ? (k + 1) / 2 : SharedKc;
}
