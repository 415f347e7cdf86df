using HashTensorBench.Platform.Cuda;
using ILGPU.Runtime;

namespace HashTensorBench.Tensors.Cuda;

/// <summary>
/// A GEMM whose operands stay on the device between runs (from <see cref="IlgpuMatrixMultiplier.Prepare"/>),
/// so that a benchmark times the kernel without the copies.
/// </summary>
public sealed class GpuGemmSession : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly MemoryBuffer[] _buffers;
    private readonly MemoryBuffer _c;
    private readonly Action _launch;

    internal GpuGemmSession(string device, GemmShape shape, GemmElementType type, Accelerator accelerator,
        MemoryBuffer[] buffers, MemoryBuffer c, Action launch)
    {
        Device = device;
        Shape = shape;
        Type = type;
        _accelerator = accelerator;
        _buffers = buffers;
        _c = c;
        _launch = launch;
    }

    /// <summary>The device, as <see cref="IlgpuMatrixMultiplier.Name"/> says.</summary>
    public string Device { get; }

    /// <summary>The sizes.</summary>
    public GemmShape Shape { get; }

    /// <summary>The element type.</summary>
    public GemmElementType Type { get; }

    /// <summary>
    /// Launches the kernel once and waits for it: <c>C = alpha·A·B + beta·C</c> on the device's C, so with a
    /// nonzero beta every run scales and adds to the previous result.
    /// </summary>
    /// <exception cref="GpuException">The launch fails.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(_c.IsDisposed, this);
        try
        {
            _launch();
            _accelerator.Synchronize();
        }
        catch (Exception ex) when (GpuException.IsDeviceFailure(ex))
        {
            throw new GpuException(Device, $"the {Type.Name} GEMM kernel failed on {Shape}: {ex.Message}", ex);
        }
    }

    /// <summary>Copies the device's C into <paramref name="c"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="c"/> does not hold exactly M×N elements of the accumulator type.</exception>
    /// <exception cref="GpuException">The copy fails.</exception>
    public void Download<TAccumulator>(Span<TAccumulator> c) where TAccumulator : unmanaged
    {
        ObjectDisposedException.ThrowIf(_c.IsDisposed, this);
        if (typeof(TAccumulator) != Type.AccumulatorType)
            ThrowHelper.ThrowArgument(nameof(c), $"C of a {Type.Name} GEMM holds {Type.AccumulatorType.Name}, not {typeof(TAccumulator).Name}.");
        if (c.Length != Shape.CLength)
            ThrowHelper.ThrowArgument(nameof(c), $"C must hold M×N = {Shape.CLength} elements (row-major); it holds {c.Length}.");
        try
        {
            _c.AsArrayView<TAccumulator>(0, c.Length).CopyToCPU(c);
        }
        catch (Exception ex) when (GpuException.IsDeviceFailure(ex))
        {
            throw new GpuException(Device, $"could not copy C of {Shape} back: {ex.Message}", ex);
        }
    }

    /// <summary>Frees the device buffers.</summary>
    public void Dispose()
    {
        foreach (var buffer in _buffers)
            buffer.Dispose();
    }
}
