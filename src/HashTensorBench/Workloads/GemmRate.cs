using HashTensorBench.Energy;
using HashTensorBench.Tensors;

namespace HashTensorBench.Workloads;

/// <summary>Measures a multiplier's sustained FLOP/s on one shape: the same product again and again inside one energy window.</summary>
public static class GemmRate
{
    /// <summary>Multiplies seeded random matrices for at least <paramref name="duration"/> after one untimed warm-up.</summary>
    public static TimedRun Measure(IMatrixMultiplier multiplier, GemmShape shape, GemmDataType dataType, IEnergyMeter meter, TimeSpan duration,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(multiplier);
        var random = new Random(1);
        var a = new float[shape.ALength];
        var b = new float[shape.BLength];
        var c = new float[shape.CLength];
        for (int i = 0; i < a.Length; i++)
            a[i] = random.NextSingle() * 2 - 1;
        for (int i = 0; i < b.Length; i++)
            b[i] = random.NextSingle() * 2 - 1;
        Action multiply;
        if (dataType == GemmDataType.Fp16)
        {
            Half[] aHalf = [.. a.Select(x => (Half)x)], bHalf = [.. b.Select(x => (Half)x)];
            multiply = () => multiplier.Multiply(shape, aHalf, bHalf, c);
        }
        else
        {
            multiply = () => multiplier.Multiply(shape, a, b, c);
        }
        multiply();
        return TimedRun.Measure(multiplier.Name, "FLOP", meter, duration, () =>
        {
            multiply();
            return shape.FlopCount;
        }, progress, cancellationToken);
    }
}
