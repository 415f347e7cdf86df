using System.Diagnostics;

namespace HashTensorBench.Tensors;

/// <summary>
/// One timed product <c>C = A·B</c> on seeded random inputs, and its error against a double-precision
/// reference at sampled entries of C.
/// </summary>
/// <param name="Device">The multiplier, as <see cref="IMatrixMultiplier.Name"/> says.</param>
/// <param name="Shape">The sizes.</param>
/// <param name="DataType">The element type of A and B.</param>
/// <param name="Elapsed">The wall time of the timed product (after one untimed warm-up).</param>
/// <param name="SampledEntries">How many entries of C were checked.</param>
/// <param name="MaxAbsoluteError">The largest |C − reference| among them.</param>
/// <param name="MaxRelativeError">
/// The largest |C − reference| / Σₖ|aᵢₖ·bₖⱼ| among them: FP32 rounding keeps it below about K·2⁻²⁴, and
/// far below for random signs; a wrong element gives about 1.
/// </param>
public sealed record GemmMeasurement(string Device, GemmShape Shape, GemmDataType DataType, TimeSpan Elapsed,
    int SampledEntries, double MaxAbsoluteError, double MaxRelativeError)
{
    /// <summary>Floating-point operations per second: 2·M·N·K over <see cref="Elapsed"/>.</summary>
    public double FlopsPerSecond => Shape.FlopCount / Elapsed.TotalSeconds;

    /// <summary>
    /// Fills A and B with uniform values in [−1, 1) from <paramref name="seed"/>, multiplies once to warm up
    /// and once timed, then checks <paramref name="samples"/> random entries of C (every entry if C has no more).
    /// Stops at the next step when <paramref name="cancellationToken"/> is cancelled: while the inputs are filled,
    /// before each product, while checking (a product under way runs to its end).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is below 1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static GemmMeasurement Run(IMatrixMultiplier multiplier, GemmShape shape, GemmDataType dataType, int seed = 1, int samples = 256,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(multiplier);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var random = new Random(seed);
        var (a, b) = Operands(shape, dataType, random, cancellationToken);
        var c = new float[shape.CLength];

        TimeSpan elapsed;
        if (dataType == GemmDataType.Fp16)
        {
            // The halves hold the same values as a and b (Fill rounded them), so the reference uses a and b.
            Half[] aHalf = ToHalf(a), bHalf = ToHalf(b);
            cancellationToken.ThrowIfCancellationRequested();
            multiplier.Multiply(shape, aHalf, bHalf, c);
            cancellationToken.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            multiplier.Multiply(shape, aHalf, bHalf, c);
            elapsed = Stopwatch.GetElapsedTime(start);
        }
        else
        {
            multiplier.Multiply(shape, a, b, c);
            cancellationToken.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            multiplier.Multiply(shape, a, b, c);
            elapsed = Stopwatch.GetElapsedTime(start);
        }

        bool everyEntry = shape.CLength <= samples;
        int checkedEntries = everyEntry ? shape.CLength : samples;
        double maxAbsolute = 0, maxRelative = 0;
        for (int s = 0; s < checkedEntries; s++)
        {
            if (s % 16 == 0)
                cancellationToken.ThrowIfCancellationRequested();
            int index = everyEntry ? s : random.Next(shape.CLength);
            int i = index / shape.N, j = index % shape.N;
            double sum = 0, scale = 0;
            for (int k = 0; k < shape.K; k++)
            {
                double product = (double)a[i * shape.K + k] * b[k * shape.N + j];
                sum += product;
                scale += Math.Abs(product);
            }
            double error = Math.Abs(c[index] - sum);
            maxAbsolute = Math.Max(maxAbsolute, error);
            maxRelative = Math.Max(maxRelative, scale == 0 ? error : error / scale);
        }
        return new GemmMeasurement(multiplier.Name, shape, dataType, elapsed, checkedEntries, maxAbsolute, maxRelative);
    }

    /// <summary>
    /// A and B as <see cref="Run"/> multiplies them for <paramref name="seed"/>: uniform in [−1, 1), already rounded
    /// to halves for FP16 (so the FP32 arrays hold exactly the values the device multiplies).
    /// </summary>
    public static (float[] A, float[] B) Operands(GemmShape shape, GemmDataType dataType, int seed) =>
        Operands(shape, dataType, new Random(seed), CancellationToken.None);

    private static (float[] A, float[] B) Operands(GemmShape shape, GemmDataType dataType, Random random, CancellationToken cancellationToken)
    {
        var a = new float[shape.ALength];
        var b = new float[shape.BLength];
        Fill(a, random, dataType, cancellationToken);
        Fill(b, random, dataType, cancellationToken);
        return (a, b);
    }

    private static void Fill(float[] values, Random random, GemmDataType dataType, CancellationToken cancellationToken)
    {
        for (int i = 0; i < values.Length; i++)
        {
            // Filling gigabytes takes seconds: Ctrl+C is seen every million values.
            if ((i & 0xFFFFF) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            float value = random.NextSingle() * 2 - 1;
            values[i] = dataType == GemmDataType.Fp16 ? (float)(Half)value : value;
        }
    }

    /// <summary>Rounds each value to the nearest half.</summary>
    internal static Half[] ToHalf(float[] values)
    {
        var halves = new Half[values.Length];
        for (int i = 0; i < values.Length; i++)
            halves[i] = (Half)values[i];
        return halves;
    }
}
