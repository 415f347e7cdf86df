using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HashTensorBench.Tensors.Cpu;

/// <summary>
/// A 4×24 tile of C in 12 of the 16 AVX2 registers: per k, three loads of B, four broadcasts of A and 12 FMAs (seven
/// loads per 12 FMAs, where the classic 6×16 tile needs eight).
/// </summary>
internal readonly unsafe struct Vector256MicroKernel : IGemmMicroKernel
{
    public static int Mr => 4;

    public static int Nr => 24;

    // The BLIS order: the B micro-panel (Kc·Nr·4 = 24 KiB) stays in L1 while the A micro-panels stream from an A block
    // of Mc·Kc·4 = 336 KiB in L2 (16 bytes per k), and the B block (up to 4104 columns, 4 MiB, so that n = 4096 is one
    // block) is packed once per K slice, in L3, shared by the threads. 84 tiles per B micro-panel: on Zen 3, one thread,
    // this tile and blocking ran 1.02–1.09× the 6×16 tile with Mc 168 (0.92–0.98 the other way, six paired runs at
    // 1024–4096, docs/results/2026-11-27-cpu-zen3-gemm-3.md); the 6×16 tile with Mc 336 gained only 0–1.6 %.
    public static GemmBlocking Blocking => new(Mc: 336, Nc: 4_104, Kc: 256, ABlockInL2: true);

    // Full optimization from the first call: a tier-0 kernel is ten times slower, and one product may call it only a few times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c02 = default;
        Vector256<float> c10 = default, c11 = default, c12 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default;
        Vector256<float> c30 = default, c31 = default, c32 = default;
        // The tile of C is read only after the k loop; fetching it now hides a DRAM miss (C outgrows L3
        // from n ≈ 2048) behind the FMAs (without it, 15 % slower). A row of 24 floats spans at most three cache lines.
        for (int i = 0; i < 4; i++)
        {
            Sse.Prefetch0(c + i * ldc);
            Sse.Prefetch0(c + i * ldc + 16);
            Sse.Prefetch0(c + i * ldc + 23);
        }
        // Four steps of k per iteration: on Zen 3 the loop with one step ran 7–12 % slower in the product (paired,
        // docs/results/2026-11-27-cpu-zen3-gemm-3.md), though its counter and pointer updates look free on paper.
        for (int steps = kc >> 2; steps > 0; steps--)
        {
            Step(a, b, 0, ref c00, ref c01, ref c02, ref c10, ref c11, ref c12, ref c20, ref c21, ref c22, ref c30, ref c31, ref c32);
            Step(a, b, 1, ref c00, ref c01, ref c02, ref c10, ref c11, ref c12, ref c20, ref c21, ref c22, ref c30, ref c31, ref c32);
            Step(a, b, 2, ref c00, ref c01, ref c02, ref c10, ref c11, ref c12, ref c20, ref c21, ref c22, ref c30, ref c31, ref c32);
            Step(a, b, 3, ref c00, ref c01, ref c02, ref c10, ref c11, ref c12, ref c20, ref c21, ref c22, ref c30, ref c31, ref c32);
            a += 16;
            b += 96;
        }
        for (int steps = kc & 3; steps > 0; steps--, a += 4, b += 24)
            Step(a, b, 0, ref c00, ref c01, ref c02, ref c10, ref c11, ref c12, ref c20, ref c21, ref c22, ref c30, ref c31, ref c32);
        Vector256<float> va = Vector256.Create(alpha);
        if (beta == 0)
        {
            Update(c + 0 * ldc, c00, c01, c02, va);
            Update(c + 1 * ldc, c10, c11, c12, va);
            Update(c + 2 * ldc, c20, c21, c22, va);
            Update(c + 3 * ldc, c30, c31, c32, va);
        }
        else
        {
            Vector256<float> vb = Vector256.Create(beta);
            Update(c + 0 * ldc, c00, c01, c02, va, vb);
            Update(c + 1 * ldc, c10, c11, c12, va, vb);
            Update(c + 2 * ldc, c20, c21, c22, va, vb);
            Update(c + 3 * ldc, c30, c31, c32, va, vb);
        }
    }

    // Step i of k from a and b: three loads of B, four broadcasts of A, twelve FMAs (i a constant, folded into the addresses).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(float* a, float* b, int i,
        ref Vector256<float> c00, ref Vector256<float> c01, ref Vector256<float> c02,
        ref Vector256<float> c10, ref Vector256<float> c11, ref Vector256<float> c12,
        ref Vector256<float> c20, ref Vector256<float> c21, ref Vector256<float> c22,
        ref Vector256<float> c30, ref Vector256<float> c31, ref Vector256<float> c32)
    {
        Vector256<float> b0 = Vector256.LoadAligned(b + 24 * i);
        Vector256<float> b1 = Vector256.LoadAligned(b + 24 * i + 8);
        Vector256<float> b2 = Vector256.LoadAligned(b + 24 * i + 16);
        Vector256<float> ai;
        ai = Vector256.Create(a[4 * i]);
        c00 = Fma.MultiplyAdd(ai, b0, c00);
        c01 = Fma.MultiplyAdd(ai, b1, c01);
        c02 = Fma.MultiplyAdd(ai, b2, c02);
        ai = Vector256.Create(a[4 * i + 1]);
        c10 = Fma.MultiplyAdd(ai, b0, c10);
        c11 = Fma.MultiplyAdd(ai, b1, c11);
        c12 = Fma.MultiplyAdd(ai, b2, c12);
        ai = Vector256.Create(a[4 * i + 2]);
        c20 = Fma.MultiplyAdd(ai, b0, c20);
        c21 = Fma.MultiplyAdd(ai, b1, c21);
        c22 = Fma.MultiplyAdd(ai, b2, c22);
        ai = Vector256.Create(a[4 * i + 3]);
        c30 = Fma.MultiplyAdd(ai, b0, c30);
        c31 = Fma.MultiplyAdd(ai, b1, c31);
        c32 = Fma.MultiplyAdd(ai, b2, c32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector256<float> x0, Vector256<float> x1, Vector256<float> x2, Vector256<float> alpha)
    {
        Vector256.Store(x0 * alpha, c);
        Vector256.Store(x1 * alpha, c + 8);
        Vector256.Store(x2 * alpha, c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector256<float> x0, Vector256<float> x1, Vector256<float> x2, Vector256<float> alpha, Vector256<float> beta)
    {
        Vector256.Store(Fma.MultiplyAdd(x0, alpha, Vector256.Load(c) * beta), c);
        Vector256.Store(Fma.MultiplyAdd(x1, alpha, Vector256.Load(c + 8) * beta), c + 8);
        Vector256.Store(Fma.MultiplyAdd(x2, alpha, Vector256.Load(c + 16) * beta), c + 16);
    }
}
