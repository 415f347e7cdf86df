using System.Numerics;

namespace HashTensorBench.Tensors;

/// <summary>
/// The element type of a GEMM: what A and B hold and what the product accumulates into C. One instance per
/// format, registered in <see cref="All"/>; every command, measurement and kernel table takes its types from there,
/// so an unknown name is an error, never a silent FP32 run.
/// </summary>
public abstract class GemmElementType
{
    private protected GemmElementType(string name, int inputBytes, string accumulator, string justification)
    {
        Name = name;
        InputBytes = inputBytes;
        Accumulator = accumulator;
        Tolerance = justification;
    }

    /// <summary>FP32 inputs and accumulation, as BLAS <c>sgemm</c>.</summary>
    public static GemmElementType<float, float> Fp32 { get; } = new("fp32", sizeof(float), "fp32",
        random => random.NextSingle() * 2 - 1, x => x, x => x, exact: false,
        "each product and sum rounded to FP32: |error| ≤ (3K+2)·2⁻²⁴·Σ|a·b|");

    /// <summary>IEEE half inputs, widened exactly, FP32 accumulation (tensor cores' <c>f32.f16.f16.f32</c>).</summary>
    public static GemmElementType<Half, float> Fp16 { get; } = new("fp16", 2, "fp32",
        random => (Half)(random.NextSingle() * 2 - 1), x => (double)x, x => x, exact: false,
        "a product of two halves (11-bit significands) is exact in FP32; the sums round: |error| ≤ (3K+2)·2⁻²⁴·Σ|a·b|");

    /// <summary>BF16 inputs, widened exactly, FP32 accumulation: the format most training runs in.</summary>
    public static GemmElementType<BFloat16, float> Bf16 { get; } = new("bf16", 2, "fp32",
        random => (BFloat16)(random.NextSingle() * 2 - 1), x => (float)x, x => x, exact: false,
        "a product of two BF16 values (8-bit significands) is exact in FP32; the sums round: |error| ≤ (3K+2)·2⁻²⁴·Σ|a·b|");

    /// <summary>Signed 8-bit integer inputs and 32-bit integer accumulation, as inference runs them: exact.</summary>
    public static GemmElementType<sbyte, int> Int8 { get; } = new("int8", 1, "int32",
        random => (sbyte)random.Next(sbyte.MinValue, sbyte.MaxValue + 1), x => x, x => x, exact: true,
        "integer products and sums are exact while |C| < 2³¹ (K·128² below 2³¹ up to K = 131071)");

    /// <summary>Every element type, in the order reports list them.</summary>
    public static IReadOnlyList<GemmElementType> All { get; } = [Fp32, Fp16, Bf16, Int8];

    /// <summary>The name used on the command line and in reports: <c>fp32</c>, <c>fp16</c>, <c>bf16</c>, <c>int8</c>.</summary>
    public string Name { get; }

    /// <summary>Bytes of one element of A or B.</summary>
    public int InputBytes { get; }

    /// <summary>Bytes of one element of C: 4, an FP32 or INT32 accumulator.</summary>
    public int AccumulatorBytes => 4;

    /// <summary>What C holds and the product accumulates in: <c>fp32</c> or <c>int32</c>.</summary>
    public string Accumulator { get; }

    /// <summary>Why <see cref="ErrorBound"/> is what it is, in words.</summary>
    public string Tolerance { get; }

    /// <summary>The CLR type of A's and B's elements.</summary>
    public abstract Type InputType { get; }

    /// <summary>The CLR type of C's elements.</summary>
    public abstract Type AccumulatorType { get; }

    /// <summary>Whether the product must equal the reference exactly (integers).</summary>
    public abstract bool IsExact { get; }

    /// <summary>
    /// The largest error a correct product may have at an entry of C, relative to Σₖ|aᵢₖ·bₖⱼ| there: the inputs are
    /// exact in the accumulator, so only the accumulation rounds (FP32: (3K+2)·2⁻²⁴, the bound of a K-term sum with
    /// alpha and beta, loose enough for tensor cores' truncating adders); 0 for integers.
    /// </summary>
    public double ErrorBound(int k) => IsExact ? 0 : (3.0 * k + 2) * Math.Pow(2, -24);

    /// <summary>The inputs and accumulation in words, such as "bf16 inputs, fp32 accumulation and output".</summary>
    public string Description => $"{Name} inputs, {Accumulator} accumulation and output";

    /// <summary>The element type named <paramref name="name"/> (any case).</summary>
    /// <exception cref="ArgumentException">No element type has that name; the message lists those there are.</exception>
    public static GemmElementType Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParse(name, out var type) ? type
            : throw new ArgumentException($"Unknown GEMM element type \"{name}\"; known: {string.Join(", ", All.Select(t => t.Name))}.", nameof(name));
    }

    /// <summary>Finds the element type named <paramref name="name"/> (any case).</summary>
    public static bool TryParse(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GemmElementType? type)
    {
        type = All.FirstOrDefault(t => string.Equals(t.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        return type is not null;
    }

    /// <summary>The element type of inputs <typeparamref name="TInput"/> accumulated in <typeparamref name="TAccumulator"/>.</summary>
    /// <exception cref="NotSupportedException">No registered type has these CLR types.</exception>
    public static GemmElementType Of<TInput, TAccumulator>() =>
        All.FirstOrDefault(t => t.InputType == typeof(TInput) && t.AccumulatorType == typeof(TAccumulator))
        ?? throw new NotSupportedException(
            $"No GEMM element type has {typeof(TInput).Name} inputs and {typeof(TAccumulator).Name} accumulators; known: " +
            $"{string.Join(", ", All.Select(t => $"{t.Name} ({t.InputType.Name} → {t.AccumulatorType.Name})"))}.");

    /// <summary>Seeded random A and B of <paramref name="shape"/> (see <see cref="GemmOperands.Create(GemmShape, GemmElementType, int, CancellationToken)"/>).</summary>
    internal abstract GemmOperands CreateOperands(GemmShape shape, Random random, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>An element type with its CLR types: inputs <typeparamref name="TInput"/>, accumulators <typeparamref name="TAccumulator"/>.</summary>
public sealed class GemmElementType<TInput, TAccumulator> : GemmElementType
    where TInput : unmanaged
    where TAccumulator : unmanaged, INumberBase<TAccumulator>
{
    private readonly Func<Random, TInput> _random;
    private readonly Func<TInput, double> _input;
    private readonly Func<TAccumulator, double> _accumulator;

    internal GemmElementType(string name, int inputBytes, string accumulator, Func<Random, TInput> random,
        Func<TInput, double> input, Func<TAccumulator, double> widenAccumulator, bool exact, string tolerance)
        : base(name, inputBytes, accumulator, tolerance)
    {
        _random = random;
        _input = input;
        _accumulator = widenAccumulator;
        IsExact = exact;
    }

    /// <inheritdoc/>
    public override Type InputType => typeof(TInput);

    /// <inheritdoc/>
    public override Type AccumulatorType => typeof(TAccumulator);

    /// <inheritdoc/>
    public override bool IsExact { get; }

    /// <summary>An input's exact value.</summary>
    public double ToDouble(TInput value) => _input(value);

    /// <summary>An accumulator's exact value.</summary>
    public double ToDouble(TAccumulator value) => _accumulator(value);

    /// <summary>
    /// One random input: floats uniform in [−1, 1) rounded to the format (so the reference multiplies exactly the
    /// values the device does), integers uniform over the whole range.
    /// </summary>
    public TInput NextInput(Random random) => _random(random);

    internal override GemmOperands CreateOperands(GemmShape shape, Random random, CancellationToken cancellationToken) =>
        new GemmOperands<TInput, TAccumulator>(this, shape, random, cancellationToken);
}
