namespace HashTensorBench.Tensors;

/// <summary>
/// The sizes of a matrix product <c>C = alpha·A·B + beta·C</c>: A is <see cref="M"/>×<see cref="K"/>,
/// B is <see cref="K"/>×<see cref="N"/>, C is <see cref="M"/>×<see cref="N"/>, all row-major and contiguous.
/// </summary>
public readonly record struct GemmShape
{
    /// <summary>Checks and stores the sizes.</summary>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="k">Columns of A, rows of B: the length of each dot product.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or a matrix has more elements than an array can hold.</exception>
    public GemmShape(int m, int n, int k)
    {
        CheckSize(m, nameof(m), "M (rows of A and C)");
        CheckSize(n, nameof(n), "N (columns of B and C)");
        CheckSize(k, nameof(k), "K (columns of A, rows of B)");
        CheckElements("A", "M×K", m, k, nameof(k));
        CheckElements("B", "K×N", k, n, nameof(n));
        CheckElements("C", "M×N", m, n, nameof(n));
        M = m;
        N = n;
        K = k;
    }

    /// <summary>Rows of A and C.</summary>
    public int M { get; }

    /// <summary>Columns of B and C.</summary>
    public int N { get; }

    /// <summary>Columns of A and rows of B.</summary>
    public int K { get; }

    /// <summary>Elements of A: M·K.</summary>
    public int ALength => M * K;

    /// <summary>Elements of B: K·N.</summary>
    public int BLength => K * N;

    /// <summary>Elements of C: M·N.</summary>
    public int CLength => M * N;

    /// <summary>Floating-point operations of one product, counting a multiply-add as two: 2·M·N·K (below 2^48, since (M·N·K)² = (M·K)(K·N)(M·N) and each factor fits in an array).</summary>
    public long FlopCount => 2L * M * N * K;

    /// <summary>Bytes of A (M·K elements of <paramref name="type"/>), counted in 64 bits: an operand may pass 2 GiB.</summary>
    public long ABytes(GemmElementType type) => (long)ALength * type.InputBytes;

    /// <summary>Bytes of B (K·N elements of <paramref name="type"/>).</summary>
    public long BBytes(GemmElementType type) => (long)BLength * type.InputBytes;

    /// <summary>Bytes of C (M·N accumulators: FP32 or INT32, 4 bytes whatever the input type).</summary>
    public long CBytes => (long)CLength * sizeof(float);

    /// <inheritdoc/>
    public override string ToString() => $"{M}x{N}x{K}";

    /// <summary>Checks that the operands have exactly this shape's lengths and that C overlaps neither input.</summary>
    /// <exception cref="ArgumentException">A length does not match, or C shares memory with A or B.</exception>
    internal void CheckOperands<T, TC>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<TC> c) where T : unmanaged where TC : unmanaged
    {
        if (M == 0)
            ThrowHelper.ThrowArgument("shape", "The shape is empty (default(GemmShape)); create it with new GemmShape(m, n, k).");
        CheckLength("a", "A", "M×K", M, K, a.Length);
        CheckLength("b", "B", "K×N", K, N, b.Length);
        CheckLength("c", "C", "M×N", M, N, c.Length);
        // C is written while A and B are still being read, as in BLAS. Compared as byte ranges in 64 bits:
        // MemoryMarshal.AsBytes throws OverflowException for an operand over 2 GiB.
        if (Overlap(c, a))
            ThrowHelper.ThrowArgument("c", "C must not share memory with A: C is written while A is still being read.");
        if (Overlap(c, b))
            ThrowHelper.ThrowArgument("c", "C must not share memory with B: C is written while B is still being read.");
    }

    private static unsafe bool Overlap<T, TC>(Span<TC> c, ReadOnlySpan<T> input) where T : unmanaged where TC : unmanaged
    {
        if (c.IsEmpty || input.IsEmpty)
            return false;
        fixed (TC* cStart = c)
        fixed (T* inputStart = input)
        {
            ulong cFrom = (ulong)cStart, cTo = cFrom + (ulong)c.Length * (ulong)sizeof(TC);
            ulong from = (ulong)inputStart, to = from + (ulong)input.Length * (ulong)sizeof(T);
            return cFrom < to && from < cTo;
        }
    }

    private static void CheckSize(int size, string paramName, string what)
    {
        if (size < 1)
            ThrowHelper.ThrowArgumentOutOfRange(paramName, $"{what} must be at least 1; it was {size}.");
    }

    private static void CheckElements(string matrix, string product, int rows, int columns, string paramName)
    {
        long elements = (long)rows * columns;
        if (elements > Array.MaxLength)
            ThrowHelper.ThrowArgumentOutOfRange(paramName,
                $"{matrix} would have {product} = {rows}×{columns} = {elements} elements, more than an array can hold ({Array.MaxLength}).");
    }

    private static void CheckLength(string paramName, string matrix, string product, int rows, int columns, int length)
    {
        if (length != rows * columns)
            ThrowHelper.ThrowArgument(paramName,
                $"{matrix} must hold {product} = {rows}×{columns} = {rows * columns} elements (row-major); it holds {length}.");
    }
}
