using HashTensorBench.Energy;
using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cuda;

namespace HashTensorBench.Workloads;

/// <summary>Measures sustained FLOP/s (integer operations for INT8) on one shape: the same product again and again inside one energy window.</summary>
public static class GemmRate
{
    /// <summary>
    /// Multiplies <paramref name="operands"/> through <paramref name="multiplier"/> for at least
    /// <paramref name="duration"/> after a warm-up. For a GPU this includes the copies; see the session overload for
    /// the kernel alone.
    /// </summary>
    public static TimedRun Measure(IMatrixMultiplier multiplier, GemmOperands operands, IEnergyMeter meter, TimeSpan duration,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(multiplier);
        ArgumentNullException.ThrowIfNull(operands);
        multiplier.CheckSupports(operands.Type);
        return Measure(multiplier.Name, operands.Shape, WorkUnits.Of(operands.Type), meter, duration, () => operands.Multiply(multiplier), progress, cancellationToken);
    }

    /// <summary>
    /// Runs the kernel of a GPU session whose operands already sit on the device, for at least
    /// <paramref name="duration"/> after a warm-up: the GPU's own throughput, no copies.
    /// </summary>
    public static TimedRun Measure(GpuGemmSession session, IEnergyMeter meter, TimeSpan duration,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Measure(session.Device, session.Shape, WorkUnits.Of(session.Type), meter, duration, session.Run, progress, cancellationToken);
    }

    /// <summary>
    /// Times the product of <paramref name="operands"/> through <paramref name="multiplier"/> (copies included, on a
    /// GPU), each product a window, for at least <paramref name="minimum"/> after a warm-up of at least <paramref name="warmup"/>.
    /// </summary>
    public static RateMeasurement MeasureProduct(IMatrixMultiplier multiplier, GemmOperands operands,
        TimeSpan minimum, TimeSpan warmup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(multiplier);
        ArgumentNullException.ThrowIfNull(operands);
        multiplier.CheckSupports(operands.Type);
        return RateMeasurement.Measure(WorkUnits.Of(operands.Type), () =>
        {
            operands.Multiply(multiplier);
            return operands.Shape.FlopCount;
        }, minimum, warmup, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Runs the kernel of a GPU session for at least <paramref name="minimum"/> after a warm-up of at least
    /// <paramref name="warmup"/> (the GPU's clocks ramp up from idle), each launch a window of its own.
    /// </summary>
    public static RateMeasurement MeasureKernel(GpuGemmSession session, TimeSpan minimum, TimeSpan warmup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return RateMeasurement.Measure(WorkUnits.Of(session.Type), () =>
        {
            session.Run();
            return session.Shape.FlopCount;
        }, minimum, warmup, cancellationToken: cancellationToken);
    }

    /// <summary>The seed of the operands when none is given.</summary>
    public const int Seed = 1;

    // Each multiply is a window; the warm-up runs until two products in a row take the same time.
    private static TimedRun Measure(string device, GemmShape shape, string unit, IEnergyMeter meter, TimeSpan duration, Action multiply,
        IProgress<double>? progress, CancellationToken cancellationToken)
    {
        double Step()
        {
            multiply();
            return shape.FlopCount;
        }
        var warmup = Warmups.UntilSettled(Step, Warmups.DefaultMinimum, cancellationToken);
        return TimedRun.Measure(device, unit, meter, duration, Step, progress, cancellationToken, warmup);
    }
}
