namespace HashTensorBench.Tensors.Cpu;

/// <summary>
/// Cache blocking of the packed GEMM (the BLIS loop nest): a <see cref="Kc"/>-deep slice of K at a time;
/// per slice, <see cref="Mc"/> rows of A packed once (read from L3 by every B block), and <see cref="Nc"/>
/// columns of B packed into a block that stays in L2 while each A micro-panel in L1 sweeps it.
/// </summary>
/// <param name="Mc">Rows of A per packed block; a multiple of the kernel's Mr.</param>
/// <param name="Nc">Columns of B per packed block; a multiple of the kernel's Nr.</param>
/// <param name="Kc">Depth of both packed blocks.</param>
internal readonly record struct GemmBlocking(int Mc, int Nc, int Kc);
