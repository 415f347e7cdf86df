using System.Text.RegularExpressions;
using HashTensorBench.Devices;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors.Cuda;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Tests.Tensors.Cuda;

/// <summary>
/// The pipelined tensor-core GEMM: its emulated instantiations on ILGPU's CPU accelerator against exact
/// references, and the PTX of its GPU instantiations.
/// </summary>
/// <remarks>
/// Tolerance for FP16 and BF16: products of two halves or two bfloat16 are exact in FP32, so the only error is
/// FP32 accumulation, at most about K·2^-24 relative to Σ|a·b| in any order; 4·(K+2)·2^-24·(|alpha|·Σ|a·b| +
/// |beta·c|) covers it and the epilogue, while a fragment in the wrong place errs by a sizeable fraction of Σ|a·b|.
/// INT8 is exact (int32 accumulation of at most K·127·128, far from overflow here).
/// </remarks>
[Collection(nameof(CpuAcceleratorCollection))]
public class TensorGemmKernelTests : IClassFixture<TensorGemmKernelTests.CpuAccelerator>
{
    // 1×1×1; just off the 128×256 block tile (4 blocks: the emulation's cost is blocks × K tiles, so that one has a
    // single K tile), the 64×64 warp tiles and the K tiles (32 halves, 64 int8); rows 16-byte aligned (cp.async) or
    // not (byte staging); and K crossing more K tiles than the ring has stages.
    // The last has 5 K tiles of 64 bytes for either element size, one more than the ring's 4 stages.
    private static readonly (int M, int N, int K)[] s_shapes = [(1, 1, 1), (33, 65, 17), (129, 257, 24), (70, 48, 160)];

    private readonly CpuAccelerator _fixture;

    public TensorGemmKernelTests(CpuAccelerator fixture) => _fixture = fixture;

    /// <summary>
    /// One CPU accelerator with 8 warps of 32 a block, as the kernel launches, and each kernel loaded once: loading
    /// compiles it (seconds), while a small product runs in a fraction of that.
    /// </summary>
    public sealed class CpuAccelerator : IDisposable
    {
        private readonly Context _context = Context.Create(builder => builder
            .CPU(new CPUDevice(numThreadsPerWarp: 32, numWarpsPerMultiprocessor: 8, numMultiprocessors: 1)).Optimize(OptimizationLevel.O2));
        private readonly Dictionary<string, object> _kernels = [];

        public CpuAccelerator() => Accelerator = _context.CreateCPUAccelerator(0);

        public Accelerator Accelerator { get; }

        internal Action<KernelConfig, ArrayView<TInput>, ArrayView<TInput>, ArrayView<TOutput>, TensorGemmParameters> Kernel<TInput, TOutput>(TensorGemmDescriptor descriptor)
            where TInput : unmanaged where TOutput : unmanaged
        {
            lock (_kernels)
            {
                if (!_kernels.TryGetValue(descriptor.Type.Name, out var kernel))
                    _kernels[descriptor.Type.Name] = kernel = descriptor.Load<TInput, TOutput>(Accelerator);
                return (Action<KernelConfig, ArrayView<TInput>, ArrayView<TInput>, ArrayView<TOutput>, TensorGemmParameters>)kernel;
            }
        }

        public void Dispose()
        {
            Accelerator.Dispose();
            _context.Dispose();
        }
    }

    public static TheoryData<string> FloatTypes => ["fp16", "bf16"];

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Float_types_match_the_reference_on_odd_and_aligned_shapes(string type)
    {
        foreach (var (m, n, k) in s_shapes)
            AssertFloat(type, m, n, k, alpha: 1, beta: 0, seed: m + n + k);
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Float_types_combine_alpha_and_beta_and_skip_the_products_when_alpha_is_zero(string type)
    {
        AssertFloat(type, 20, 40, 24, alpha: -0.5f, beta: 2, seed: 3);
        AssertFloat(type, 20, 30, 9, alpha: 1.5f, beta: -1, seed: 4);
        AssertFloat(type, 20, 40, 24, alpha: 0, beta: 0.5f, seed: 5, nanInputs: true);
    }

    [Fact]
    public void Int8_is_exact_on_odd_and_aligned_shapes()
    {
        foreach (var (m, n, k) in s_shapes)
            AssertInt8(m, n, k == 160 ? 320 : k, alpha: 1, beta: 0, seed: m + n + k);
    }

    [Fact]
    public void Int8_combines_int32_alpha_and_beta()
    {
        AssertInt8(20, 48, 80, alpha: 3, beta: -2, seed: 6);
        AssertInt8(20, 30, 9, alpha: -1, beta: 1, seed: 7);
        AssertInt8(20, 48, 80, alpha: 0, beta: 5, seed: 8);
    }

    [Theory]
    [InlineData("fp16", @"mma\.sync\.aligned\.m16n8k16\.row\.col\.f32\.f16\.f16\.f32")]
    [InlineData("bf16", @"mma\.sync\.aligned\.m16n8k16\.row\.col\.f32\.bf16\.bf16\.f32")]
    [InlineData("int8", @"mma\.sync\.aligned\.m16n8k32\.row\.col\.s32\.s8\.s8\.s32")]
    public void Gpu_ptx_pipelines_with_cp_async_and_ldmatrix_and_keeps_nothing_in_local_memory(string type, string mma)
    {
        var kernel = PtxExport.All["gemm-" + type];
        Assert.True(kernel.PromoteLocals);
        string raw = PtxCompiler.Compile(kernel.Method, CudaArchitecture.SM_90, CudaInstructionSet.ISA_78, kernel.Specialization);
        string ptx = PtxLocalPromotion.Run(raw, out int promoted);
        // ILGPU's operand slots are all there before the rewrite, none after.
        Assert.Contains(".local", raw);
        Assert.True(promoted > 1000, $"{promoted} depots promoted");
        Assert.DoesNotContain(".local", ptx);
        // Two main loops (cp.async and byte staging), each 2 k steps × 4×8 mma tiles, written once.
        Assert.Equal(128, Regex.Count(ptx, mma));
        Assert.Equal(16, Regex.Count(ptx, @"ldmatrix\.sync\.aligned\.m8n8\.x4\.shared\.b16"));
        Assert.Equal(16, Regex.Count(ptx, @"ldmatrix\.sync\.aligned\.m8n8\.x4\.trans\.shared\.b16"));
        Assert.Contains("cp.async.cg.shared.global", ptx);
        Assert.Contains("cp.async.commit_group;", ptx);
        // The ring's wait: at most Stages − 2 groups in flight.
        Assert.Contains($"cp.async.wait_group {TensorGemmKernel.Stages - 2};", ptx);
        Assert.Contains(".extern .shared .align 16 .b8 __dyn_shared_alloca[]", ptx);
        Assert.Contains(".maxntid 256, 1, 1", ptx);
        // The emulation (warp barriers, its exchange in static shared memory) stays in the CPU kernels.
        Assert.DoesNotContain("bar.warp.sync", ptx);
        Assert.DoesNotContain("__shared_alloca", ptx);
        Assert.Equal(type == "int8" ? 64 : 0, Regex.Count(ptx, @"prmt\.b32"));
    }

    [Fact]
    public void Descriptors_launch_one_block_per_128_by_256_tile_with_96_KB_of_dynamic_shared_memory()
    {
        var descriptor = TensorGemmKernels.Fp16;
        Assert.Equal((3, 2), descriptor.GridSize(129, 513));
        var (grid, group, shared) = descriptor.Config(129, 513);
        Assert.Equal((3, 2, 256), (grid.X, grid.Y, group.X));
        Assert.Equal(98304, descriptor.DynamicSharedBytes);
        Assert.Equal(98304, shared.NumElements * shared.ElementSize);
        Assert.Equal((1, 1, 1), (TensorGemmParameters.ForFloat(3, 8, 8, 1, 0).Aligned, TensorGemmParameters.ForInt8(3, 16, 32, 1, 0).Aligned, TensorGemmKernels.Int8.Type.InputBytes));
        Assert.Equal((0, 0), (TensorGemmParameters.ForFloat(3, 8, 9, 1, 0).Aligned, TensorGemmParameters.ForInt8(3, 24, 32, 1, 0).Aligned));
    }

    private void AssertFloat(string type, int m, int n, int k, float alpha, float beta, int seed, bool nanInputs = false)
    {
        var random = new Random(seed);
        bool bf16 = type == "bf16";
        ushort[] a = Bits(m * k), b = Bits(k * n);
        float[] c = [.. Enumerable.Range(0, m * n).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        if (nanInputs)
        {
            Array.Fill(a, (ushort)0x7E00);
            Array.Fill(b, (ushort)0x7E00);
        }
        var descriptor = bf16 ? TensorGemmKernels.Bf16 : TensorGemmKernels.Fp16;
        var result = Run<ushort, float>(descriptor, a, b, c, TensorGemmParameters.ForFloat(m, n, k, alpha, beta), m, n);

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int l = 0; l < k && alpha != 0; l++)
                {
                    double product = Widen(a[i * k + l]) * Widen(b[l * n + j]);
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                double expected = alpha * sum + (beta == 0 ? 0 : beta * (double)c[i * n + j]);
                double bound = 4 * (k + 2) * Math.Pow(2, -24) * (Math.Abs(alpha) * magnitude + Math.Abs(beta * c[i * n + j])) + 1e-30;
                Assert.True(Math.Abs(result[i * n + j] - expected) <= bound,
                    $"{type} {m}×{n}×{k} alpha {alpha} beta {beta}: C[{i},{j}] = {result[i * n + j]}, expected {expected} ± {bound}");
            }
        }

        ushort[] Bits(int count) => [.. Enumerable.Range(0, count).Select(_ =>
        {
            float value = (float)(random.NextDouble() * 2 - 1);
            return bf16 ? (ushort)(BitConverter.SingleToUInt32Bits(value) >> 16) : BitConverter.HalfToUInt16Bits((System.Half)value);
        })];

        double Widen(ushort bits) => bf16 ? BitConverter.UInt32BitsToSingle((uint)bits << 16) : (double)BitConverter.UInt16BitsToHalf(bits);
    }

    private void AssertInt8(int m, int n, int k, int alpha, int beta, int seed)
    {
        var random = new Random(seed);
        // The extremes included: -128·-128 is the largest product.
        sbyte[] a = [.. Enumerable.Range(0, m * k).Select(i => i % 7 == 0 ? sbyte.MinValue : (sbyte)random.Next(-128, 128))];
        sbyte[] b = [.. Enumerable.Range(0, k * n).Select(i => i % 5 == 0 ? sbyte.MinValue : (sbyte)random.Next(-128, 128))];
        int[] c = [.. Enumerable.Range(0, m * n).Select(_ => random.Next(-1000, 1000))];
        var result = Run<sbyte, int>(TensorGemmKernels.Int8, a, b, c, TensorGemmParameters.ForInt8(m, n, k, alpha, beta), m, n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                long sum = 0;
                for (int l = 0; l < k; l++)
                    sum += a[i * k + l] * b[l * n + j];
                long expected = alpha * sum + beta * (long)c[i * n + j];
                Assert.True(expected == result[i * n + j], $"int8 {m}×{n}×{k}: C[{i},{j}] = {result[i * n + j]}, expected {expected}");
            }
        }
    }

    private TOutput[] Run<TInput, TOutput>(TensorGemmDescriptor descriptor, TInput[] a, TInput[] b, TOutput[] c, TensorGemmParameters p, int m, int n)
        where TInput : unmanaged where TOutput : unmanaged
    {
        var accelerator = _fixture.Accelerator;
        var run = _fixture.Kernel<TInput, TOutput>(descriptor);
        using var deviceA = accelerator.Allocate1D(a);
        using var deviceB = accelerator.Allocate1D(b);
        using var deviceC = accelerator.Allocate1D(c);
        run(descriptor.Config(m, n), deviceA.View, deviceB.View, deviceC.View, p);
        accelerator.Synchronize();
        return deviceC.GetAsArray1D();
    }
}
