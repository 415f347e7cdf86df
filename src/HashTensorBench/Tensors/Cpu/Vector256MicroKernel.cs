using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HashTensorBench.Tensors.Cpu;

/// <summary>
/// A 6×16 tile of C in 12 of the 16 AVX2 registers (the classic Haswell shape): per k, two loads of B,
/// six broadcasts of A and 12 FMAs, leaving registers for B and the broadcast.
/// </summary>
internal readonly unsafe struct Vector256MicroKernel : IGemmMicroKernel
{
    public static int Mr => 6;

    public static int Nr => 16;

    // The BLIS order: the B micro-panel (Kc·Nr·4 = 16 KiB) stays in L1 while the A micro-panels stream from an A block
    // of Mc·Kc·4 = 168 KiB in L2 (24 bytes per k instead of the 64 of a streamed B micro-panel), and the B block (up to
    // 4096 columns, 4 MiB, so that n = 4096 is one block) is packed once per K slice, in L3, shared by the threads.
    // On Zen 3, one thread, against the former default (Mc 1992, Nc 384, Kc 256: B block in L2, A micro-panel in L1):
    // 1.02–1.05, paired, timed by CPU time; on two threads not shown better on a loaded machine (see
    // docs/results/2026-11-27-cpu-zen3-gemm-2.md). `gemm-pairs --blocking 1992,384,256` sets the two side by side.
    public static GemmBlocking Blocking => new(Mc: 168, Nc: 4_096, Kc: 256, ABlockInL2: true);

    // Full optimization from the first call: a tier-0 kernel is ten times slower, and one product may call it only a few times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;
        // The tile of C is read only after the k loop; fetching it now hides a DRAM miss (C outgrows L3
        // from n ≈ 2048) behind the FMAs. A row of 16 floats spans at most two cache lines.
        for (int i = 0; i < 6; i++)
        {
            Sse.Prefetch0(c + i * ldc);
            Sse.Prefetch0(c + i * ldc + 15);
        }
        // Four steps of k per iteration: on Zen 3 the loop with one step ran 7–12 % slower in the product (paired,
        // docs/results/2026-11-27-cpu-zen3-gemm-3.md), though its counter and pointer updates look free on paper.
        for (int steps = kc >> 2; steps > 0; steps--)
        {
            Step(a, b, 0, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51);
            Step(a, b, 1, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51);
            Step(a, b, 2, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51);
            Step(a, b, 3, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51);
            a += 24;
            b += 64;
        }
        for (int steps = kc & 3; steps > 0; steps--, a += 6, b += 16)
            Step(a, b, 0, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51);
        Vector256<float> va = Vector256.Create(alpha);
        if (beta == 0)
        {
            Update(c + 0 * ldc, c00, c01, va);
            Update(c + 1 * ldc, c10, c11, va);
            Update(c + 2 * ldc, c20, c21, va);
            Update(c + 3 * ldc, c30, c31, va);
            Update(c + 4 * ldc, c40, c41, va);
            Update(c + 5 * ldc, c50, c51, va);
        }
        else
        {
            Vector256<float> vb = Vector256.Create(beta);
            Update(c + 0 * ldc, c00, c01, va, vb);
            Update(c + 1 * ldc, c10, c11, va, vb);
            Update(c + 2 * ldc, c20, c21, va, vb);
            Update(c + 3 * ldc, c30, c31, va, vb);
            Update(c + 4 * ldc, c40, c41, va, vb);
            Update(c + 5 * ldc, c50, c51, va, vb);
        }
    }

    // Step i of k from a and b: two loads of B, six broadcasts of A, twelve FMAs (i a constant, folded into the addresses).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(float* a, float* b, int i,
        ref Vector256<float> c00, ref Vector256<float> c01, ref Vector256<float> c10, ref Vector256<float> c11,
        ref Vector256<float> c20, ref Vector256<float> c21, ref Vector256<float> c30, ref Vector256<float> c31,
        ref Vector256<float> c40, ref Vector256<float> c41, ref Vector256<float> c50, ref Vector256<float> c51)
    {
        Vector256<float> b0 = Vector256.LoadAligned(b + 16 * i);
        Vector256<float> b1 = Vector256.LoadAligned(b + 16 * i + 8);
        Vector256<float> ai;
        ai = Vector256.Create(a[6 * i]);
        c00 = Fma.MultiplyAdd(ai, b0, c00);
        c01 = Fma.MultiplyAdd(ai, b1, c01);
        ai = Vector256.Create(a[6 * i + 1]);
        c10 = Fma.MultiplyAdd(ai, b0, c10);
        c11 = Fma.MultiplyAdd(ai, b1, c11);
        ai = Vector256.Create(a[6 * i + 2]);
        c20 = Fma.MultiplyAdd(ai, b0, c20);
        c21 = Fma.MultiplyAdd(ai, b1, c21);
        ai = Vector256.Create(a[6 * i + 3]);
        c30 = Fma.MultiplyAdd(ai, b0, c30);
        c31 = Fma.MultiplyAdd(ai, b1, c31);
        ai = Vector256.Create(a[6 * i + 4]);
        c40 = Fma.MultiplyAdd(ai, b0, c40);
        c41 = Fma.MultiplyAdd(ai, b1, c41);
        ai = Vector256.Create(a[6 * i + 5]);
        c50 = Fma.MultiplyAdd(ai, b0, c50);
        c51 = Fma.MultiplyAdd(ai, b1, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector256<float> x0, Vector256<float> x1, Vector256<float> alpha)
    {
        Vector256.Store(x0 * alpha, c);
        Vector256.Store(x1 * alpha, c + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector256<float> x0, Vector256<float> x1, Vector256<float> alpha, Vector256<float> beta)
    {
        Vector256.Store(Fma.MultiplyAdd(x0, alpha, Vector256.Load(c) * beta), c);
        Vector256.Store(Fma.MultiplyAdd(x1, alpha, Vector256.Load(c + 8) * beta), c + 8);
    }
}
