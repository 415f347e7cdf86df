using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HashTensorBench.Tensors.Cpu;

/// <summary>
/// A 12×32 tile of C in 24 of the 32 AVX-512 registers: per k, two loads of B, twelve broadcast loads of A
/// and 24 FMAs, 12 cycles on two FMA pipes. 24 independent accumulators cover the FMA latency (4 cycles)
/// times two pipes three times over, and 14 loads and a prefetch per 12 cycles leave the two 512-bit load ports room.
/// </summary>
internal readonly unsafe struct Vector512MicroKernel : IGemmMicroKernel
{
    public static int Mr => 12;

    public static int Nr => 32;

    // Kc·Mr·4 = 18 KiB of A's micro-panel (re-read from L2 each tile, see Run); Kc·Nc·4 = 576 KiB of B in a 1 MiB L2
    // (Zen 4/5; Intel server cores have 1-2 MiB).
    // Threads that share A go 1024 deep, though A's micro-panel then fills L1 and B's block overflows L2: each slice
    // reads and writes C once more, and two threads share the memory bandwidth (two threads of a 2-vCPU Zen 5:
    // 1.05× at 2048³ and 1.09× at 4096³ the rate at Kc 384; one thread runs 1–2 % slower at 768–1024).
    public static GemmBlocking Blocking => new(Mc: 1_992, Nc: 384, Kc: 384, SharedKc: 1_024);

    // Full optimization from the first call: a tier-0 kernel is ten times slower, and one product may call it only a few times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        Vector512<float> c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default;
        Vector512<float> c100 = default, c101 = default;
        Vector512<float> c110 = default, c111 = default;
        // The tile of C is read only after the k loop; fetching it during the loop hides a DRAM miss (C outgrows L3
        // from n ≈ 2048) behind the FMAs. One row (at most three cache lines) every kc/16 steps, not all 12 rows at the
        // start: there, up to 36 misses to DRAM took the L1's miss slots just when a new A micro-panel comes from L3,
        // every Nc/Nr tiles. In the product's order, the kernel alone ran 3–6 % faster; products of 1024–4096 on a
        // 2-vCPU Zen 5, 0–4 % (most where other virtual machines loaded the memory).
        int step = Math.Max(1, kc / 16), next = 0;
        float* row = c, rowsEnd = c + 12 * ldc;
        for (int p = 0; p < kc; p++)
        {
            if (p == next && row != rowsEnd)
            {
                Sse.Prefetch0(row);
                Sse.Prefetch0(row + 16);
                Sse.Prefetch0(row + 31);
                row += ldc;
                next += step;
            }
            // A's micro-panel does not stay in L1: each tile streams Nr·kc floats of B through it (48 KiB at kc 384,
            // 128 KiB where threads share 1024-deep slices), so every tile reads A again from L2, and a new panel
            // from L3. Fetching it 24 steps (1152 bytes, ~290 cycles) ahead: products of 1024–4096 on a 2-vCPU Zen 5,
            // one thread 1.01–1.04×, two 1.01–1.02× (paired in-process runs; 12 steps ahead 0.98×, 48 the same as 24).
            Sse.Prefetch0(a + 12 * 24);
            Vector512<float> b0 = Vector512.LoadAligned(b);
            Vector512<float> b1 = Vector512.LoadAligned(b + 16);
            Vector512<float> ai;
            ai = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(ai, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(ai, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(ai, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(ai, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(ai, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(ai, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(ai, b1, c51);
            ai = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(ai, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(ai, b1, c61);
            ai = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(ai, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(ai, b1, c71);
            ai = Vector512.Create(a[8]);
            c80 = Avx512F.FusedMultiplyAdd(ai, b0, c80);
            c81 = Avx512F.FusedMultiplyAdd(ai, b1, c81);
            ai = Vector512.Create(a[9]);
            c90 = Avx512F.FusedMultiplyAdd(ai, b0, c90);
            c91 = Avx512F.FusedMultiplyAdd(ai, b1, c91);
            ai = Vector512.Create(a[10]);
            c100 = Avx512F.FusedMultiplyAdd(ai, b0, c100);
            c101 = Avx512F.FusedMultiplyAdd(ai, b1, c101);
            ai = Vector512.Create(a[11]);
            c110 = Avx512F.FusedMultiplyAdd(ai, b0, c110);
            c111 = Avx512F.FusedMultiplyAdd(ai, b1, c111);
            a += 12;
            b += 32;
        }
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Update(c + 0 * ldc, c00, c01, va);
            Update(c + 1 * ldc, c10, c11, va);
            Update(c + 2 * ldc, c20, c21, va);
            Update(c + 3 * ldc, c30, c31, va);
            Update(c + 4 * ldc, c40, c41, va);
            Update(c + 5 * ldc, c50, c51, va);
            Update(c + 6 * ldc, c60, c61, va);
            Update(c + 7 * ldc, c70, c71, va);
            Update(c + 8 * ldc, c80, c81, va);
            Update(c + 9 * ldc, c90, c91, va);
            Update(c + 10 * ldc, c100, c101, va);
            Update(c + 11 * ldc, c110, c111, va);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Update(c + 0 * ldc, c00, c01, va, vb);
            Update(c + 1 * ldc, c10, c11, va, vb);
            Update(c + 2 * ldc, c20, c21, va, vb);
            Update(c + 3 * ldc, c30, c31, va, vb);
            Update(c + 4 * ldc, c40, c41, va, vb);
            Update(c + 5 * ldc, c50, c51, va, vb);
            Update(c + 6 * ldc, c60, c61, va, vb);
            Update(c + 7 * ldc, c70, c71, va, vb);
            Update(c + 8 * ldc, c80, c81, va, vb);
            Update(c + 9 * ldc, c90, c91, va, vb);
            Update(c + 10 * ldc, c100, c101, va, vb);
            Update(c + 11 * ldc, c110, c111, va, vb);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector512<float> x0, Vector512<float> x1, Vector512<float> alpha)
    {
        Vector512.Store(x0 * alpha, c);
        Vector512.Store(x1 * alpha, c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector512<float> x0, Vector512<float> x1, Vector512<float> alpha, Vector512<float> beta)
    {
        Vector512.Store(Avx512F.FusedMultiplyAdd(x0, alpha, Vector512.Load(c) * beta), c);
        Vector512.Store(Avx512F.FusedMultiplyAdd(x1, alpha, Vector512.Load(c + 16) * beta), c + 16);
    }
}
