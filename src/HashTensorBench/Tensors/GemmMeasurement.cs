using System.Diagnostics;

namespace HashTensorBench.Tensors;

/// <summary>
/// One timed product <c>C = A·B</c> on seeded random inputs, and its error against a double-precision
/// reference at sampled entries of C.
/// </summary>
/// <param name="Device">The multiplier, as <see cref="IMatrixMultiplier.Name"/> says.</param>
/// <param name="Shape">The sizes.</param>
/// <param name="Type">The element type.</param>
/// <param name="Elapsed">The wall time of the timed product (after one untimed warm-up).</param>
/// <param name="SampledEntries">How many entries of C were checked.</param>
/// <param name="MaxAbsoluteError">The largest |C − reference| among them.</param>
/// <param name="MaxRelativeError">
/// The largest |C − reference| / Σₖ|aᵢₖ·bₖⱼ| among them: FP32 accumulation keeps it below
/// <see cref="GemmElementType.ErrorBound"/>, and far below for random signs; a wrong element gives about 1.
/// </param>
public sealed record GemmMeasurement(string Device, GemmShape Shape, GemmElementType Type, TimeSpan Elapsed,
    int SampledEntries, double MaxAbsoluteError, double MaxRelativeError)
{
    /// <summary>Floating-point (or integer) operations per second: 2·M·N·K over <see cref="Elapsed"/>.</summary>
    public double FlopsPerSecond => Shape.FlopCount / Elapsed.TotalSeconds;

    /// <summary>Whether every sampled entry is within the type's bound (<see cref="GemmElementType.ErrorBound"/>; exact for integers).</summary>
    public bool WithinBound => MaxRelativeError <= Type.ErrorBound(Shape.K);

    /// <summary>
    /// Fills A and B from <paramref name="seed"/> and measures them (<see cref="Run(IMatrixMultiplier, GemmOperands, int, CancellationToken)"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is below 1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="NotSupportedException">The multiplier has no kernel for <paramref name="type"/>.</exception>
    public static GemmMeasurement Run(IMatrixMultiplier multiplier, GemmShape shape, GemmElementType type, int seed = 1, int samples = 256,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(multiplier);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        multiplier.CheckSupports(type);
        cancellationToken.ThrowIfCancellationRequested();
        var random = new Random(seed);
        var operands = GemmOperands.Create(shape, type, random, cancellationToken);
        return Measure(multiplier, operands, random, samples, warmUp: true, cancellationToken);
    }

    /// <summary>
    /// Multiplies <paramref name="operands"/> once to warm up and once timed, then checks <paramref name="samples"/>
    /// random entries of C (every entry if C has no more). Stops at the next step when
    /// <paramref name="cancellationToken"/> is cancelled: before each product, while checking (a product under way
    /// runs to its end).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is below 1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="NotSupportedException">The multiplier has no kernel for the operands' type.</exception>
    public static GemmMeasurement Run(IMatrixMultiplier multiplier, GemmOperands operands, int samples = 256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(multiplier);
        ArgumentNullException.ThrowIfNull(operands);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        multiplier.CheckSupports(operands.Type);
        // The sampled entries come from a seeded sequence of their own: the same operands are checked at the same places.
        return Measure(multiplier, operands, new Random(1), samples, warmUp: true, cancellationToken);
    }

    /// <summary>
    /// Checks one product of seeded operands against the reference, without a warm-up (its <see cref="Elapsed"/> includes
    /// any first-use cost): for a correctness check on a slow device, such as ILGPU's CPU accelerator.
    /// </summary>
    /// <exception cref="NotSupportedException">The multiplier has no kernel for <paramref name="type"/>.</exception>
    public static GemmMeasurement Check(IMatrixMultiplier multiplier, GemmShape shape, GemmElementType type, int seed = 1, int samples = 256,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(multiplier);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        multiplier.CheckSupports(type);
        var random = new Random(seed);
        return Measure(multiplier, GemmOperands.Create(shape, type, random, cancellationToken), random, samples, warmUp: false, cancellationToken);
    }

    private static GemmMeasurement Measure(IMatrixMultiplier multiplier, GemmOperands operands, Random random, int samples,
        bool warmUp, CancellationToken cancellationToken)
    {
        var shape = operands.Shape;
        cancellationToken.ThrowIfCancellationRequested();
        if (warmUp)
            operands.Multiply(multiplier);
        cancellationToken.ThrowIfCancellationRequested();
        long start = Stopwatch.GetTimestamp();
        operands.Multiply(multiplier);
        var elapsed = Stopwatch.GetElapsedTime(start);

        bool everyEntry = shape.CLength <= samples;
        int checkedEntries = everyEntry ? shape.CLength : samples;
        double maxAbsolute = 0, maxRelative = 0;
        for (int s = 0; s < checkedEntries; s++)
        {
            if (s % 16 == 0)
                cancellationToken.ThrowIfCancellationRequested();
            int index = everyEntry ? s : random.Next(shape.CLength);
            var (sum, scale) = operands.Reference(index / shape.N, index % shape.N);
            double error = Math.Abs(operands.C(index) - sum);
            maxAbsolute = Math.Max(maxAbsolute, error);
            maxRelative = Math.Max(maxRelative, scale == 0 ? error : error / scale);
        }
        return new GemmMeasurement(multiplier.Name, shape, operands.Type, elapsed, checkedEntries, maxAbsolute, maxRelative);
    }
}
