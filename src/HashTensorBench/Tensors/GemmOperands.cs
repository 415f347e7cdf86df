using System.Numerics;

namespace HashTensorBench.Tensors;

/// <summary>
/// Seeded random A and B of one shape and element type, and a C to multiply into: made once and shared by the checked
/// product, the timed loop and a GPU session, so a figure always times the very product that was checked.
/// </summary>
public abstract class GemmOperands
{
    private protected GemmOperands(GemmElementType type, GemmShape shape)
    {
        Type = type;
        Shape = shape;
    }

    /// <summary>The element type of A, B and C.</summary>
    public GemmElementType Type { get; }

    /// <summary>The sizes.</summary>
    public GemmShape Shape { get; }

    /// <summary>
    /// Fills A and B from <paramref name="seed"/> (<see cref="GemmElementType{TInput, TAccumulator}.NextInput"/>), A first,
    /// row by row; the same seed gives the same operands on every machine.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="shape"/> is empty (<c>default</c>).</exception>
    /// <exception cref="OperationCanceledException">Cancelled while filling (checked every million elements).</exception>
    public static GemmOperands Create(GemmShape shape, GemmElementType type, int seed = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Create(shape, type, new Random(seed), cancellationToken);
    }

    internal static GemmOperands Create(GemmShape shape, GemmElementType type, Random random, CancellationToken cancellationToken)
    {
        if (shape.M == 0)
            ThrowHelper.ThrowArgument(nameof(shape), "The shape is empty (default(GemmShape)); create it with new GemmShape(m, n, k).");
        return type.CreateOperands(shape, random, cancellationToken);
    }

    /// <summary><c>C = A·B</c> through <paramref name="multiplier"/>, into this object's C.</summary>
    /// <exception cref="NotSupportedException">The multiplier has no kernel for <see cref="Type"/>.</exception>
    public abstract void Multiply(IMatrixMultiplier multiplier);

    /// <summary>Entry <paramref name="index"/> of C (row-major) as a double, exactly.</summary>
    public abstract double C(int index);

    /// <summary>
    /// Σₖ aᵢₖ·bₖⱼ in double (every product exact there, the sum's rounding far below FP32's; exact for integers) and
    /// Σₖ|aᵢₖ·bₖⱼ|, the scale of a float accumulation's rounding error.
    /// </summary>
    public abstract (double Sum, double Scale) Reference(int i, int j);

    internal abstract TResult Accept<TResult>(IGemmOperandsVisitor<TResult> visitor);
}

/// <summary>Operands whose CLR types are known: A and B of <typeparamref name="TInput"/>, C of <typeparamref name="TAccumulator"/>.</summary>
public sealed class GemmOperands<TInput, TAccumulator> : GemmOperands
    where TInput : unmanaged
    where TAccumulator : unmanaged, INumberBase<TAccumulator>
{
    private readonly GemmElementType<TInput, TAccumulator> _type;
    private readonly TInput[] _a, _b;
    private readonly TAccumulator[] _c;

    internal GemmOperands(GemmElementType<TInput, TAccumulator> type, GemmShape shape, Random random, CancellationToken cancellationToken)
        : base(type, shape)
    {
        _type = type;
        _a = Fill(shape.ALength, random, cancellationToken);
        _b = Fill(shape.BLength, random, cancellationToken);
        _c = new TAccumulator[shape.CLength];
    }

    /// <summary>A, row-major.</summary>
    public ReadOnlySpan<TInput> A => _a;

    /// <summary>B, row-major.</summary>
    public ReadOnlySpan<TInput> B => _b;

    /// <summary>C after the last <see cref="Multiply"/>, row-major.</summary>
    public ReadOnlySpan<TAccumulator> Result => _c;

    /// <inheritdoc/>
    public override void Multiply(IMatrixMultiplier multiplier)
    {
        ArgumentNullException.ThrowIfNull(multiplier);
        multiplier.Multiply<TInput, TAccumulator>(Shape, _a, _b, _c, TAccumulator.One, TAccumulator.Zero);
    }

    /// <inheritdoc/>
    public override double C(int index) => _type.ToDouble(_c[index]);

    /// <inheritdoc/>
    public override (double Sum, double Scale) Reference(int i, int j)
    {
        double sum = 0, scale = 0;
        int k = Shape.K, n = Shape.N;
        for (int p = 0; p < k; p++)
        {
            double product = _type.ToDouble(_a[i * k + p]) * _type.ToDouble(_b[p * n + j]);
            sum += product;
            scale += Math.Abs(product);
        }
        return (sum, scale);
    }

    internal override TResult Accept<TResult>(IGemmOperandsVisitor<TResult> visitor) => visitor.Visit(this);

    private TInput[] Fill(int length, Random random, CancellationToken cancellationToken)
    {
        var values = new TInput[length];
        for (int i = 0; i < values.Length; i++)
        {
            // Filling gigabytes takes seconds: Ctrl+C is seen every million values.
            if ((i & 0xFFFFF) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            values[i] = _type.NextInput(random);
        }
        return values;
    }
}

/// <summary>Reaches the typed operands behind a <see cref="GemmOperands"/> (a GPU session uploads them as they are).</summary>
internal interface IGemmOperandsVisitor<out TResult>
{
    TResult Visit<TInput, TAccumulator>(GemmOperands<TInput, TAccumulator> operands)
        where TInput : unmanaged
        where TAccumulator : unmanaged, INumberBase<TAccumulator>;
}
