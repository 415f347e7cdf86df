using HashTensorBench.Platform.Cuda;
using ILGPU;
using ILGPU.Runtime;

namespace HashTensorBench.Tensors.Cuda;

/// <summary>
/// A GEMM whose operands stay on the device between runs (from <see cref="IlgpuMatrixMultiplier.Prepare(GemmShape, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, float, float)"/>),
/// so that a benchmark times the kernel without the copies.
/// </summary>
public sealed class GpuGemmSession : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly MemoryBuffer[] _buffers;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _c;
    private readonly Action _launch;

    internal GpuGemmSession(string device, GemmShape shape, GemmDataType dataType, Accelerator accelerator,
        MemoryBuffer[] buffers, MemoryBuffer1D<float, Stride1D.Dense> c, Action launch)
    {
        Device = device;
        Shape = shape;
        DataType = dataType;
        _accelerator = accelerator;
        _buffers = buffers;
        _c = c;
        _launch = launch;
    }

    /// <summary>The device, as <see cref="IlgpuMatrixMultiplier.Name"/> says.</summary>
    public string Device { get; }

    /// <summary>The sizes.</summary>
    public GemmShape Shape { get; }

    /// <summary>The element type of A and B.</summary>
    public GemmDataType DataType { get; }

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
            throw new GpuException(Device, $"the {DataType.ToString().ToLowerInvariant()} GEMM kernel failed on {Shape}: {ex.Message}", ex);
        }
    }

    /// <summary>Copies the device's C into <paramref name="c"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="c"/> does not hold exactly M×N elements.</exception>
    /// <exception cref="GpuException">The copy fails.</exception>
    public void Download(Span<float> c)
    {
        ObjectDisposedException.ThrowIf(_c.IsDisposed, this);
        if (c.Length != Shape.CLength)
            ThrowHelper.ThrowArgument(nameof(c), $"C must hold M×N = {Shape.CLength} elements (row-major); it holds {c.Length}.");
        try
        {
            ((ArrayView<float>)_c.View).CopyToCPU(c);
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
