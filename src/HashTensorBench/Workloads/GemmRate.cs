using HashTensorBench.Energy;
using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cuda;

namespace HashTensorBench.Workloads;

/// <summary>Measures sustained FLOP/s on one shape: the same product again and again inside one energy window.</summary>
public static class GemmRate
{
    /// <summary>
    /// Multiplies seeded random matrices through <paramref name="multiplier"/> for at least
    /// <paramref name="duration"/> after one untimed warm-up. For a GPU this includes the copies; see the
    /// session overload for the kernel alone.
    /// </summary>
    public static TimedRun Measure(IMatrixMultiplier multiplier, GemmShape shape, GemmDataType dataType, IEnergyMeter meter, TimeSpan duration,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(multiplier);
        return Measure(multiplier.Name, shape, meter, duration, Product(multiplier, shape, dataType, Seed), progress, cancellationToken);
    }

    // One product on the seeded operands, into a C of its own.
    private static Action Product(IMatrixMultiplier multiplier, GemmShape shape, GemmDataType dataType, int seed)
    {
        var (a, b) = GemmMeasurement.Operands(shape, dataType, seed);
        var c = new float[shape.CLength];
        if (dataType == GemmDataType.Fp16)
        {
            Half[] aHalf = GemmMeasurement.ToHalf(a), bHalf = GemmMeasurement.ToHalf(b);
            return () => multiplier.Multiply(shape, aHalf, bHalf, c);
        }
        return () => multiplier.Multiply(shape, a, b, c);
    }

    /// <summary>
    /// Runs the kernel of a GPU session whose operands already sit on the device, for at least
    /// <paramref name="duration"/> after one untimed run: the GPU's own throughput, no copies.
    /// </summary>
    public static TimedRun Measure(GpuGemmSession session, IEnergyMeter meter, TimeSpan duration,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Measure(session.Device, session.Shape, meter, duration, session.Run, progress, cancellationToken);
    }

    /// <summary>
    /// Times the product through <paramref name="multiplier"/> (copies included, on a GPU) on the operands
    /// <see cref="GemmMeasurement.Run"/> checks for <paramref name="seed"/>, each product a window, for at least
    /// <paramref name="minimum"/> after a warm-up of at least <paramref name="warmup"/>.
    /// </summary>
    public static RateMeasurement MeasureProduct(IMatrixMultiplier multiplier, GemmShape shape, GemmDataType dataType, int seed,
        TimeSpan minimum, TimeSpan warmup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(multiplier);
        var multiply = Product(multiplier, shape, dataType, seed);
        return RateMeasurement.Measure(WorkUnits.Flop, () =>
        {
            multiply();
            return shape.FlopCount;
        }, minimum, warmup, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Runs the kernel of a GPU session for at least <paramref name="minimum"/> after a warm-up of at least
    /// <paramref name="warmup"/> (the GPU's clocks ramp up from idle), each launch a window of its own.
    /// </summary>
    public static RateMeasurement MeasureKernel(GpuGemmSession session, TimeSpan minimum, TimeSpan warmup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return RateMeasurement.Measure(WorkUnits.Flop, () =>
        {
            session.Run();
            return session.Shape.FlopCount;
        }, minimum, warmup, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Opens a session on <paramref name="gpu"/> with the operands <see cref="GemmMeasurement.Run"/> multiplies for
    /// <paramref name="seed"/>, so a kernel-only figure times the very product that was checked.
    /// </summary>
    public static GpuGemmSession Prepare(IlgpuMatrixMultiplier gpu, GemmShape shape, GemmDataType dataType, int seed = Seed)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var (a, b) = GemmMeasurement.Operands(shape, dataType, seed);
        return dataType == GemmDataType.Fp16 ? gpu.Prepare(shape, GemmMeasurement.ToHalf(a), GemmMeasurement.ToHalf(b)) : gpu.Prepare(shape, a, b);
    }

    /// <summary>The seed of the operands when none is given.</summary>
    public const int Seed = 1;

    // Each multiply is a window; the warm-up runs until two products in a row take the same time.
    private static TimedRun Measure(string device, GemmShape shape, IEnergyMeter meter, TimeSpan duration, Action multiply,
        IProgress<double>? progress, CancellationToken cancellationToken)
    {
        double Step()
        {
            multiply();
            return shape.FlopCount;
        }
        var warmup = Warmups.UntilSettled(Step, Warmups.DefaultMinimum, cancellationToken);
        return TimedRun.Measure(device, WorkUnits.Flop, meter, duration, Step, progress, cancellationToken, warmup);
    }

}
