using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Tensors.Cuda;

/// <summary>
/// A 16-bit input format of the tensor-core kernels (<see cref="GemmFp16Kernel"/>'s <c>mma-simple</c> and
/// <see cref="TensorGemmKernel"/>'s pipelined one): its f32-accumulating <c>mma.sync</c> on the GPU, and the dot product
/// by which ILGPU's CPU accelerator emulates it. A struct type parameter, so every call is resolved and inlined per
/// instantiation; both kernels issue the one instruction written here.
/// </summary>
internal interface IHalfFormat
{
    /// <summary>One <c>mma.sync.aligned.m16n8k16</c> into f32: this lane's c0..c3 after C += A·B (fragments as in the PTX ISA).</summary>
    Float4 Mma(Float4 c, uint a0, uint a1, uint a2, uint a3, uint b0, uint b1);

    /// <summary>The emulation's step: the dot product of two registers of two inputs each, the lower k in the low 16 bits.</summary>
    float Dot2(uint x, uint y);
}

/// <summary>IEEE half inputs, FP32 accumulation: <c>mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32</c>.</summary>
internal readonly struct Fp16Format : IHalfFormat
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Float4 Mma(Float4 c, uint a0, uint a1, uint a2, uint a3, uint b0, uint b1)
    {
        Ref<float> c0 = c.X, c1 = c.Y, c2 = c.Z, c3 = c.W;
        Input<uint> ia0 = a0, ia1 = a1, ia2 = a2, ia3 = a3, ib0 = b0, ib1 = b1;
        CudaAsm.EmitRef(
            "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};",
            ref c0, ref c1, ref c2, ref c3, ref ia0, ref ia1, ref ia2, ref ia3, ref ib0, ref ib1);
        return new Float4 { X = c0.Value, Y = c1.Value, Z = c2.Value, W = c3.Value };
    }

    // Products of halves (11 significant bits each) are exact in FP32.
    public float Dot2(uint x, uint y) =>
        HalfToSingle(x & 0xFFFF) * HalfToSingle(y & 0xFFFF) + HalfToSingle(x >> 16) * HalfToSingle(y >> 16);

    /// <summary>Widens the bits of an IEEE half exactly (subnormals, infinities and NaN included).</summary>
    /// <remarks>
    /// Only the emulated kernels call it. Not inlined: ILGPU inlined its branches into every emulated mma of the pipelined
    /// kernel, and compiling that kernel for the CPU accelerator took minutes.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static float HalfToSingle(uint bits)
    {
        uint sign = (bits & 0x8000u) << 16, exponent = (bits >> 10) & 0x1Fu, mantissa = bits & 0x3FFu;
        if (exponent == 0)
        {
            // Zero or subnormal: mantissa·2^-24, exact in FP32.
            float magnitude = mantissa * (1f / 16777216f);
            return sign != 0 ? -magnitude : magnitude;
        }
        // Rebias 15 → 127; exponent 31 (infinity, NaN) becomes 255.
        uint widened = exponent == 0x1Fu ? 0xFFu : exponent + 112;
        return Interop.IntAsFloat(sign | (widened << 23) | (mantissa << 13));
    }
}

/// <summary>bfloat16 inputs, FP32 accumulation: <c>mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32</c>.</summary>
internal readonly struct Bf16Format : IHalfFormat
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Float4 Mma(Float4 c, uint a0, uint a1, uint a2, uint a3, uint b0, uint b1)
    {
        Ref<float> c0 = c.X, c1 = c.Y, c2 = c.Z, c3 = c.W;
        Input<uint> ia0 = a0, ia1 = a1, ia2 = a2, ia3 = a3, ib0 = b0, ib1 = b1;
        CudaAsm.EmitRef(
            "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};",
            ref c0, ref c1, ref c2, ref c3, ref ia0, ref ia1, ref ia2, ref ia3, ref ib0, ref ib1);
        return new Float4 { X = c0.Value, Y = c1.Value, Z = c2.Value, W = c3.Value };
    }

    // A bfloat16 is the high half of an FP32; products of two (8 significant bits each) are exact in FP32.
    public float Dot2(uint x, uint y) =>
        Interop.IntAsFloat(x << 16) * Interop.IntAsFloat(y << 16) + Interop.IntAsFloat(x & 0xFFFF0000u) * Interop.IntAsFloat(y & 0xFFFF0000u);
}
