namespace HashTensorBench.Tensors.Cpu;

/// <summary>
/// A register-blocked micro-kernel: one <see cref="Mr"/>×<see cref="Nr"/> tile of C from a packed
/// micro-panel of A (for each k, <see cref="Mr"/> consecutive values down a column) and one of B (for
/// each k, <see cref="Nr"/> consecutive values along a row). <see cref="GemmDriver{TKernel}"/> is written
/// against this and specialized by the JIT for each implementation (a struct type argument).
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of the C tile.</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of the C tile.</summary>
    static abstract int Nr { get; }

    /// <summary>The block sizes that suit this kernel's tile on a typical cache hierarchy.</summary>
    static abstract GemmBlocking Blocking { get; }

    /// <summary>
    /// Computes the tile <c>C = alpha·Ã·B̃ + beta·C</c> over <paramref name="kc"/> steps of k, where
    /// <paramref name="beta"/> = 0 means C is written without being read.
    /// </summary>
    /// <param name="kc">Steps of k, at least 1.</param>
    /// <param name="a">The packed A micro-panel, <paramref name="kc"/>·<see cref="Mr"/> floats.</param>
    /// <param name="b">The packed B micro-panel, <paramref name="kc"/>·<see cref="Nr"/> floats; each k's <see cref="Nr"/> floats start on a 32-byte boundary when <see cref="Nr"/> is a multiple of 8, on a 64-byte one when it is a multiple of 16.</param>
    /// <param name="c">The tile's top-left element.</param>
    /// <param name="ldc">Elements between rows of C.</param>
    /// <param name="alpha">Scales the product.</param>
    /// <param name="beta">Scales the old tile.</param>
    static abstract void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta);
}
