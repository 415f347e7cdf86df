using System.Text.RegularExpressions;
using HashTensorBench.Devices;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cpu;
using HashTensorBench.Tensors.Cuda;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Tests.Tensors.Cuda;

/// <summary>
/// The GPU GEMM kernels on ILGPU's CPU accelerator against a double-precision reference, their PTX for Hopper,
/// and, where there is a CUDA device, the GPU against the CPU GEMM.
/// </summary>
/// <remarks>
/// Tolerance: <see cref="GemmReference"/>'s bound γ_(3K+2)·(|alpha|·Σ|a·b| + |beta·c|) with u = 2^-24, which
/// any FP32 accumulation order meets (the FP32 kernel sums in K order; the FP16 kernel's CPU path sums 16 k at
/// a time per mma tile). FP16 inputs widen exactly to FP32 and a product of two halves (11 + 11 significant
/// bits) is exact in FP32, so the FP16 kernel meets the same bound against the reference of the same halves'
/// values. An indexing mistake gives an error near Σ|a·b| itself, thousands of times the bound.
/// </remarks>
[Collection(nameof(CpuAcceleratorCollection))]
public class IlgpuMatrixMultiplierTests : IClassFixture<IlgpuMatrixMultiplierTests.CpuAccelerator>
{
    // 1×1×1, primes, K = 1, and sizes just off every tile: 128 rows and columns per block, K slices of 16 (FP32)
    // and 32 (FP16) crossed by K = 9, 17, 33 and 65, 16×8 mma tiles, 64×32 warp tiles.
    private static readonly GemmShape[] s_shapes =
    [
        new(1, 1, 1), new(127, 257, 61), new(33, 65, 1), new(129, 7, 33), new(5, 130, 9), new(17, 31, 65),
        // K and N multiples of 8 (16-byte loads in both kernels) or of 4 (in the FP32 kernel only).
        new(64, 40, 32), new(130, 136, 72), new(3, 8, 8), new(33, 12, 20), new(129, 4, 4),
    ];

    private readonly IlgpuMatrixMultiplier _multiplier;

    public IlgpuMatrixMultiplierTests(CpuAccelerator accelerator) => _multiplier = accelerator.Multiplier;

    /// <summary>
    /// One CPU accelerator for the class, with the FP32 kernel and the first tensor-core kernels (mma-simple); the
    /// pipelined ones, the default, have their own tests (TensorGemmKernelTests) and one run through the multiplier below.
    /// </summary>
    public sealed class CpuAccelerator : IDisposable
    {
        public IlgpuMatrixMultiplier Multiplier { get; } = IlgpuMatrixMultiplier.ForCpuAccelerator("mma-simple");

        public void Dispose() => Multiplier.Dispose();
    }

    [Fact]
    public void Fp32_matches_the_reference_on_shapes_that_are_not_tile_multiples()
    {
        foreach (var shape in s_shapes)
            AssertFp32(_multiplier, shape, alpha: 1, beta: 0, seed: shape.M + shape.N);
    }

    [Fact]
    public void Fp16_matches_the_reference_of_the_same_halves()
    {
        foreach (var shape in s_shapes)
            AssertFp16(_multiplier, shape, alpha: 1, beta: 0, seed: shape.M + shape.N);
    }

    [Fact]
    public void The_default_kernels_cover_every_type_and_int8_runs_exactly_through_the_multiplier()
    {
        using var pipelined = IlgpuMatrixMultiplier.ForCpuAccelerator();
        Assert.Equal(GemmElementType.All, pipelined.ElementTypes);
        // One block (TensorGemmKernelTests cover the tiles): the multiplier's uploads and int32 parameters; the float
        // ones go through it in GemmCommandTests (fp16 on ilgpu-cpu).
        var measured = GemmMeasurement.Run(pipelined, new GemmShape(15, 16, 48), GemmElementType.Int8);
        Assert.Equal((0.0, 15 * 16), (measured.MaxAbsoluteError, measured.SampledEntries));
    }

    [Fact]
    public void Int8_reads_c_when_beta_is_int_min_value_as_the_cpu_does()
    {
        // int.MinValue has the bits of −0.0f: a float test of beta would leave C unread (and unuploaded).
        using var pipelined = IlgpuMatrixMultiplier.ForCpuAccelerator();
        var shape = new GemmShape(15, 16, 48);
        var random = new Random(22);
        sbyte[] a = [.. Enumerable.Range(0, shape.ALength).Select(_ => (sbyte)random.Next(-128, 128))];
        sbyte[] b = [.. Enumerable.Range(0, shape.BLength).Select(_ => (sbyte)random.Next(-128, 128))];
        int[] c = [.. Enumerable.Range(0, shape.CLength).Select(i => i % 2 == 0 ? 1 : random.Next(-1000, 1000))];
        int[] fromGpu = (int[])c.Clone(), fromCpu = (int[])c.Clone();
        pipelined.Multiply(shape, a, b, fromGpu, alpha: 1, beta: int.MinValue);
        new CpuMatrixMultiplier().Multiply(shape, a, b, fromCpu, alpha: 1, beta: int.MinValue);
        Assert.Equal(fromCpu, fromGpu);
    }

    [Fact]
    public void Bf16_matches_the_reference_of_the_same_values()
    {
        foreach (var shape in s_shapes)
            AssertBf16(_multiplier, shape, alpha: 1, beta: 0, seed: shape.M + shape.N);
    }

    [Fact]
    public void Every_kernel_combines_alpha_and_beta_like_blas()
    {
        foreach (var shape in (GemmShape[])[new(29, 45, 19), new(29, 48, 40)])
        {
            foreach (var (alpha, beta) in ((float, float)[])[(2.5f, 0), (1, 1), (-0.5f, 2), (0.75f, -1.25f)])
            {
                AssertFp32(_multiplier, shape, alpha, beta, seed: 7);
                AssertFp16(_multiplier, shape, alpha, beta, seed: 7);
                AssertBf16(_multiplier, shape, alpha, beta, seed: 7);
            }
        }
    }

    [Fact]
    public void Beta_zero_overwrites_a_NaN_in_C_and_alpha_zero_ignores_NaN_in_A_and_B()
    {
        var shape = new GemmShape(20, 30, 10);
        var (a, b, _) = GemmReference.RandomOperands(shape, seed: 8);
        var c = Enumerable.Repeat(float.NaN, shape.CLength).ToArray();
        _multiplier.Multiply(shape, a, b, c, alpha: 2, beta: 0);
        var expected = GemmReference.Multiply(shape, a, b, c, 2, 0, out var bound);
        GemmReference.AssertWithin(expected, bound, c, shape);

        Array.Fill(c, float.NaN);
        _multiplier.Multiply(shape, ToHalves(a), ToHalves(b), c, alpha: 2, beta: 0);
        Assert.All(c, x => Assert.False(float.IsNaN(x)));

        Array.Fill(a, float.NaN);
        var halves = Enumerable.Repeat(Half.NaN, shape.BLength).ToArray();
        var old = Enumerable.Range(0, shape.CLength).Select(i => (float)i).ToArray();
        c = (float[])old.Clone();
        _multiplier.Multiply(shape, a, b, c, alpha: 0, beta: 0.5f);
        Assert.Equal(old.Select(x => x * 0.5f), c);
        c = (float[])old.Clone();
        _multiplier.Multiply(shape, ToHalves(a), halves, c, alpha: 0, beta: 0.5f);
        Assert.Equal(old.Select(x => x * 0.5f), c);
    }

    [Fact]
    public void A_prepared_session_runs_again_on_the_device_copy()
    {
        var shape = new GemmShape(40, 50, 30);
        var (a, b, c) = GemmReference.RandomOperands(shape, seed: 11);
        using var session = _multiplier.Prepare(shape, a, b, c, alpha: 1, beta: 1);
        Assert.Equal((shape, (GemmElementType)GemmElementType.Fp32, "ilgpu-cpu"), (session.Shape, session.Type, session.Device));
        session.Run();
        session.Run();
        var result = new float[shape.CLength];
        session.Download(result);
        // Two runs with beta = 1: C + 2·A·B.
        var expected = GemmReference.Multiply(shape, a, b, c, 2, 1, out var bound);
        GemmReference.AssertWithin(expected, [.. bound.Select(x => 2 * x)], result, shape);
    }

    [Fact]
    public void Bad_operands_are_rejected_before_the_device_is_touched()
    {
        var shape = new GemmShape(4, 5, 6);
        float[] a = new float[shape.ALength], b = new float[shape.BLength], c = new float[shape.CLength];
        Assert.Throws<ArgumentException>("a", () => _multiplier.Multiply(shape, a.AsSpan(1), b, c));
        Assert.Throws<ArgumentException>("b", () => _multiplier.Multiply(shape, new Half[shape.ALength], new Half[1], c));
        Assert.Throws<ArgumentException>("c", () => _multiplier.Multiply(shape, a, b, new float[1]));
        Assert.Throws<ArgumentException>("shape", () => _multiplier.Multiply(default, a, b, c));
        var shared = new float[shape.ALength + shape.CLength];
        Assert.Throws<ArgumentException>("c", () => _multiplier.Multiply(shape, shared.AsSpan(0, shape.ALength), b, shared.AsSpan(shape.ALength - 1, shape.CLength)));
        // A session that would scale C must be given C.
        Assert.Throws<ArgumentException>("c", () => _multiplier.Prepare(shape, a, b, default, beta: 1));
        using var session = _multiplier.Prepare(shape, a, b);
        Assert.Throws<ArgumentException>("c", () => session.Download(new float[3]));
    }

    [Fact]
    public void Half_bits_widen_exactly()
    {
        for (int bits = 0; bits <= ushort.MaxValue; bits++)
        {
            float expected = (float)BitConverter.UInt16BitsToHalf((ushort)bits), actual = Fp16Format.HalfToSingle((uint)bits);
            if (float.IsNaN(expected))
                Assert.True(float.IsNaN(actual), $"0x{bits:x4}");
            else
                Assert.Equal(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(actual));
        }
    }

    [Fact]
    public void Fp32_ptx_keeps_the_tiles_in_registers_and_reads_shared_memory_128_bits_at_a_time()
    {
        string ptx = Ptx("gemm-fp32");
        Assert.DoesNotContain(".local", ptx);
        Assert.Contains("ld.shared.v4.f32", ptx);
        Assert.Contains(".maxntid 256, 1, 1", ptx);
        Assert.Contains("bar.sync", ptx);
        Assert.DoesNotContain("call", ptx);
    }

    [Fact]
    public void Fp16_ptx_issues_tensor_core_mma()
    {
        string ptx = Ptx("gemm-fp16-mma-simple");
        // 2 k steps × 4×4 tiles a slice, each written once.
        Assert.Equal(32, Regex.Count(ptx, @"mma\.sync\.aligned\.m16n8k16\.row\.col\.f32\.f16\.f16\.f32"));
        // ILGPU passes each inline-PTX operand through a 4-byte local slot, which ptxas turns back into
        // registers (0 bytes of stack in bench/gpu/sass-report); anything larger would be a spilled array.
        var declarations = Regex.Matches(ptx, @"^\s*\.local\b.*$", RegexOptions.Multiline);
        Assert.NotEmpty(declarations);
        foreach (Match declaration in declarations)
            Assert.Matches(@"^\s*\.local \.align 4 \.b8 __local_depot\d+\[4\];$", declaration.Value);
        Assert.DoesNotContain("call", ptx);
    }

    [Fact]
    public void Bf16_ptx_issues_bf16_tensor_core_mma()
    {
        string ptx = Ptx("gemm-bf16-mma-simple");
        Assert.Equal(32, Regex.Count(ptx, @"mma\.sync\.aligned\.m16n8k16\.row\.col\.f32\.bf16\.bf16\.f32"));
        Assert.DoesNotContain(".f16.f16", ptx);
        Assert.DoesNotContain("bar.warp.sync", ptx);
    }

    [Fact]
    public void Fp16_gpu_ptx_holds_no_emulated_mma()
    {
        string ptx = Ptx("gemm-fp16-mma-simple");
        // The emulation's exchange buffer and warp barriers belong to the CPU accelerator's
        // kernel only: with them the GPU's PTX was 1.15 MB and took seconds to compile in every process.
        Assert.InRange(ptx.Length, 1, 300_000);
        Assert.Equal(2, Regex.Count(ptx, @"^\s*\.shared\b", RegexOptions.Multiline));
        Assert.DoesNotContain("bar.warp.sync", ptx);
    }

    [SkippableFact]
    public void Cuda_devices_agree_with_the_cpu_gemm()
    {
        var discovery = CudaDiscovery.Current;
        Skip.If(discovery.Devices.Count == 0, $"No CUDA device: {discovery.Reason}.");
        var cpu = new CpuMatrixMultiplier();
        foreach (var device in discovery.Devices)
        {
            using var opened = ComputeDevice.Open(DeviceId.Cuda(device.Index));
            using var gpu = opened.CreateMultiplier();
            foreach (var shape in (GemmShape[])[new(1, 1, 1), new(127, 257, 61), new(1000, 1030, 515), new(256, 256, 4096)])
            {
                var (a, b, c) = GemmReference.RandomOperands(shape, seed: shape.K);
                var expected = GemmReference.Multiply(shape, a, b, c, 1.5f, -1, out var bound);
                var fromGpu = (float[])c.Clone();
                gpu.Multiply(shape, a, b, fromGpu, alpha: 1.5f, beta: -1);
                GemmReference.AssertWithin(expected, bound, fromGpu, shape);
                var fromCpu = (float[])c.Clone();
                cpu.Multiply(shape, a, b, fromCpu, alpha: 1.5f, beta: -1);
                GemmReference.AssertWithin(expected, bound, fromCpu, shape);

                // Tensor cores may align and truncate the FP32 sums with fewer guard bits than IEEE
                // addition: allow 4 times the bound (a wrong fragment is still far outside it).
                Half[] aHalf = ToHalves(a), bHalf = ToHalves(b);
                var widened = GemmReference.Multiply(shape, Widen(aHalf), Widen(bHalf), c, 1.5f, -1, out var halfBound);
                var fromTensorCores = (float[])c.Clone();
                gpu.Multiply(shape, aHalf, bHalf, fromTensorCores, alpha: 1.5f, beta: -1);
                GemmReference.AssertWithin(widened, [.. halfBound.Select(x => 4 * x)], fromTensorCores, shape);
            }
        }
    }

    private static string Ptx(string name)
    {
        var kernel = PtxExport.All[name];
        return PtxCompiler.Compile(kernel.Method, CudaArchitecture.SM_90, CudaInstructionSet.ISA_78, kernel.Specialization);
    }

    private static void AssertFp32(IlgpuMatrixMultiplier multiplier, GemmShape shape, float alpha, float beta, int seed)
    {
        var (a, b, c) = GemmReference.RandomOperands(shape, seed);
        var expected = GemmReference.Multiply(shape, a, b, c, alpha, beta, out var bound);
        multiplier.Multiply(shape, a, b, c, alpha, beta);
        GemmReference.AssertWithin(expected, bound, c, shape);
    }

    private static void AssertFp16(IlgpuMatrixMultiplier multiplier, GemmShape shape, float alpha, float beta, int seed)
    {
        var (aSingle, bSingle, c) = GemmReference.RandomOperands(shape, seed);
        Half[] a = ToHalves(aSingle), b = ToHalves(bSingle);
        var expected = GemmReference.Multiply(shape, Widen(a), Widen(b), c, alpha, beta, out var bound);
        multiplier.Multiply(shape, a, b, c, alpha, beta);
        GemmReference.AssertWithin(expected, bound, c, shape);
    }

    private static void AssertBf16(IlgpuMatrixMultiplier multiplier, GemmShape shape, float alpha, float beta, int seed)
    {
        var (aSingle, bSingle, c) = GemmReference.RandomOperands(shape, seed);
        BFloat16[] a = [.. aSingle.Select(x => (BFloat16)x)], b = [.. bSingle.Select(x => (BFloat16)x)];
        var expected = GemmReference.Multiply(shape, [.. a.Select(x => (float)x)], [.. b.Select(x => (float)x)], c, alpha, beta, out var bound);
        multiplier.Multiply(shape, a, b, c, alpha, beta);
        GemmReference.AssertWithin(expected, bound, c, shape);
    }

    private static Half[] ToHalves(float[] values) => [.. values.Select(x => (Half)x)];

    private static float[] Widen(Half[] values) => [.. values.Select(x => (float)x)];
}
