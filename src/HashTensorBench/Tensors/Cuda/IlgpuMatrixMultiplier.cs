using System.Runtime.InteropServices;
using HashTensorBench.Platform.Cuda;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Half = System.Half;

namespace HashTensorBench.Tensors.Cuda;

/// <summary>
/// GEMM on one ILGPU accelerator: a CUDA GPU, or ILGPU's CPU accelerator, which runs the very same kernels
/// (slowly, and with scalar math where the GPU uses tensor cores) so that they can be tested on any machine.
/// </summary>
/// <remarks>
/// <see cref="Multiply(GemmShape, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, float, float)"/> copies
/// the operands to the device and C back on every call: the figure an application sees. To time the kernel
/// alone, <see cref="Prepare(GemmShape, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, float, float)"/>
/// uploads once and <see cref="GpuGemmSession.Run"/> only launches and waits.
/// </remarks>
public sealed class IlgpuMatrixMultiplier : IMatrixMultiplier
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    // Each kernel is compiled and loaded on its first use, so a process that multiplies FP32 only never pays
    // for the FP16 kernel, and a failure to load one type leaves the other usable.
    private readonly Lazy<Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmKernelParameters>> _fp32;
    private readonly Lazy<Action<KernelConfig, ArrayView<ushort>, ArrayView<ushort>, ArrayView<float>, GemmKernelParameters>> _fp16;

    private IlgpuMatrixMultiplier(Context context, Accelerator accelerator, string name)
    {
        _context = context;
        _accelerator = accelerator;
        Name = name;
        _fp32 = new(() => Load<float>(GemmFp32Kernel.Multiply, GemmFp32Kernel.Specialization, GemmDataType.Fp32));
        // The GPU gets the kernel that issues mma.sync alone; ILGPU's CPU accelerator the one that emulates it.
        _fp16 = new(() => Load<ushort>(accelerator.AcceleratorType == AcceleratorType.Cuda ? GemmFp16Kernel.MultiplyTensorCores : GemmFp16Kernel.MultiplyEmulated,
            GemmFp16Kernel.Specialization, GemmDataType.Fp16));
    }

    /// <summary>Opens CUDA device <paramref name="deviceIndex"/>.</summary>
    /// <exception cref="GpuException">There is no such device, or the driver fails to open it or to load the kernels.</exception>
    public static IlgpuMatrixMultiplier ForCuda(int deviceIndex) =>
        CudaAccelerators.Open(deviceIndex, (context, accelerator, device) => new IlgpuMatrixMultiplier(context, accelerator, $"{device.Id} {accelerator.Name}"));

    /// <summary>ILGPU's CPU accelerator, with warps of 32 and blocks of 256 threads as the kernels expect.</summary>
    public static IlgpuMatrixMultiplier ForCpuAccelerator()
    {
        var context = Context.Create(builder => builder.CPU(new CPUDevice(numThreadsPerWarp: 32, numWarpsPerMultiprocessor: 8, numMultiprocessors: 1))
            .Optimize(OptimizationLevel.O2));
        return new IlgpuMatrixMultiplier(context, context.CreateCPUAccelerator(0), "ilgpu-cpu");
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The device's memory in bytes, which A, B and C must fit in together.</summary>
    public long MemorySize => _accelerator.MemorySize;

    /// <summary>
    /// The device's free memory in bytes now, which a product's buffers must fit in: the driver's count on a
    /// CUDA GPU; on ILGPU's CPU accelerator, the host's available memory.
    /// </summary>
    /// <exception cref="GpuException">The driver fails to say.</exception>
    public long FreeMemory
    {
        get
        {
            if (_accelerator is not CudaAccelerator cuda)
                return GemmMemory.AvailableHostBytes() ?? _accelerator.MemorySize;
            try
            {
                cuda.Bind();
                return cuda.GetFreeMemory();
            }
            catch (Exception ex) when (GpuException.IsDeviceFailure(ex))
            {
                throw new GpuException(Name, $"could not read the free memory: {ex.Message}", ex);
            }
        }
    }

    /// <inheritdoc/>
    /// <exception cref="GpuException">The operands do not fit in the device's memory, or the device fails.</exception>
    public void Multiply(GemmShape shape, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, float alpha = 1, float beta = 0)
    {
        shape.CheckOperands(a, b, c);
        using var session = Prepare(shape, a, b, c, alpha, beta);
        session.Run();
        session.Download(c);
    }

    /// <inheritdoc/>
    /// <exception cref="GpuException">The operands do not fit in the device's memory, or the device fails.</exception>
    public void Multiply(GemmShape shape, ReadOnlySpan<Half> a, ReadOnlySpan<Half> b, Span<float> c, float alpha = 1, float beta = 0)
    {
        shape.CheckOperands(a, b, c);
        using var session = Prepare(shape, a, b, c, alpha, beta);
        session.Run();
        session.Download(c);
    }

    /// <summary>
    /// Uploads FP32 A and B (and C when <paramref name="beta"/> is not 0) and keeps them on the device, so that
    /// <see cref="GpuGemmSession.Run"/> times the kernel alone.
    /// </summary>
    /// <param name="shape">The sizes.</param>
    /// <param name="a">A, row-major, <see cref="GemmShape.ALength"/> elements.</param>
    /// <param name="b">B, row-major, <see cref="GemmShape.BLength"/> elements.</param>
    /// <param name="c">The initial C, <see cref="GemmShape.CLength"/> elements; read only when <paramref name="beta"/> is not 0 (pass an empty span otherwise).</param>
    /// <param name="alpha">Scales A·B.</param>
    /// <param name="beta">Scales the old C on every run.</param>
    /// <exception cref="ArgumentException">A length does not match the shape.</exception>
    /// <exception cref="GpuException">The buffers do not fit in the device's memory, or the device fails.</exception>
    public GpuGemmSession Prepare(GemmShape shape, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c = default,
        float alpha = 1, float beta = 0)
    {
        CheckSession(shape, a.Length, b.Length, c.Length, beta, sizeof(float), GemmFp32Kernel.Launch);
        return Create(shape, GemmDataType.Fp32, a, b, c, alpha, beta, _fp32.Value, GemmFp32Kernel.Launch);
    }

    /// <summary>Uploads FP16 A and B (and C when <paramref name="beta"/> is not 0) and keeps them on the device.</summary>
    /// <inheritdoc cref="Prepare(GemmShape, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, float, float)"/>
    public GpuGemmSession Prepare(GemmShape shape, ReadOnlySpan<Half> a, ReadOnlySpan<Half> b, ReadOnlySpan<float> c = default,
        float alpha = 1, float beta = 0)
    {
        CheckSession(shape, a.Length, b.Length, c.Length, beta, sizeof(ushort), GemmFp16Kernel.Launch);
        return Create(shape, GemmDataType.Fp16, MemoryMarshal.Cast<Half, ushort>(a), MemoryMarshal.Cast<Half, ushort>(b), c, alpha, beta,
            _fp16.Value, GemmFp16Kernel.Launch);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _accelerator.Dispose();
        _context.Dispose();
    }

    private Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<float>, GemmKernelParameters> Load<T>(
        Action<ArrayView<T>, ArrayView<T>, ArrayView<float>, GemmKernelParameters> kernel, KernelSpecialization specialization, GemmDataType type)
        where T : unmanaged
    {
        try
        {
            return _accelerator.LoadStreamKernel(kernel, specialization);
        }
        catch (Exception ex) when (GpuException.IsDeviceFailure(ex))
        {
            throw new GpuException(Name, $"could not load the {type.ToString().ToLowerInvariant()} GEMM kernel: {ex.Message}", ex);
        }
    }

    private void CheckSession(GemmShape shape, int aLength, int bLength, int cLength, float beta, int inputBytes, GemmLaunch launch)
    {
        if (shape.M == 0)
            ThrowHelper.ThrowArgument("shape", "The shape is empty (default(GemmShape)); create it with new GemmShape(m, n, k).");
        if (aLength != shape.ALength)
            ThrowHelper.ThrowArgument("a", $"A must hold M×K = {shape.ALength} elements (row-major); it holds {aLength}.");
        if (bLength != shape.BLength)
            ThrowHelper.ThrowArgument("b", $"B must hold K×N = {shape.BLength} elements (row-major); it holds {bLength}.");
        if (beta != 0 && cLength != shape.CLength)
            ThrowHelper.ThrowArgument("c", $"With beta = {beta}, C must hold M×N = {shape.CLength} elements (row-major); it holds {cLength}.");
        if (launch.GridSize(shape.M, shape.N).Y > ushort.MaxValue)
            ThrowHelper.ThrowArgument("shape", $"M = {shape.M} needs more than {ushort.MaxValue} blocks along y, CUDA's limit for one launch.");
        long bytes = ((long)shape.ALength + shape.BLength) * inputBytes + (long)shape.CLength * sizeof(float);
        if (bytes > _accelerator.MemorySize)
        {
            throw new GpuException(Name,
                $"A, B and C of {shape} need {bytes / (1024.0 * 1024 * 1024):F2} GiB, more than the device's {_accelerator.MemorySize / (1024.0 * 1024 * 1024):F2} GiB.");
        }
    }

    private GpuGemmSession Create<T>(GemmShape shape, GemmDataType type, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<float> c,
        float alpha, float beta, Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<float>, GemmKernelParameters> kernel,
        GemmLaunch launch) where T : unmanaged
    {
        MemoryBuffer1D<T, Stride1D.Dense>? deviceA = null, deviceB = null;
        MemoryBuffer1D<float, Stride1D.Dense>? deviceC = null;
        try
        {
            deviceA = _accelerator.Allocate1D<T>(a.Length);
            deviceB = _accelerator.Allocate1D<T>(b.Length);
            deviceC = _accelerator.Allocate1D<float>(shape.CLength);
            ArrayView<T> viewA = deviceA.View, viewB = deviceB.View;
            ArrayView<float> viewC = deviceC.View;
            viewA.CopyFromCPU(a);
            viewB.CopyFromCPU(b);
            if (beta != 0)
                viewC.CopyFromCPU(c);
            // Rows of A and B start on 16-byte boundaries (device buffers are at least 256-byte aligned).
            bool vectorized = shape.K % launch.VectorWidth == 0 && shape.N % launch.VectorWidth == 0;
            var parameters = new GemmKernelParameters
            {
                M = shape.M, N = shape.N, K = shape.K, Alpha = alpha, Beta = beta, Vectorized = vectorized ? 1 : 0,
            };
            var (x, y) = launch.GridSize(shape.M, shape.N);
            var config = new KernelConfig(new Index2D(x, y), new Index2D(launch.Threads, 1));
            var buffers = new MemoryBuffer[] { deviceA, deviceB, deviceC };
            return new GpuGemmSession(Name, shape, type, _accelerator, buffers, deviceC, () => kernel(config, viewA, viewB, viewC, parameters));
        }
        catch (Exception ex) when (GpuException.IsDeviceFailure(ex))
        {
            deviceA?.Dispose();
            deviceB?.Dispose();
            deviceC?.Dispose();
            throw new GpuException(Name, $"could not prepare a {shape} GEMM: {ex.Message}", ex);
        }
    }
}
