using System.Runtime.CompilerServices;

namespace HashTensorBench.Tensors.Cpu;

/// <summary>
/// A 4×4 tile of C in scalar registers: 16 accumulators, four B values and one A value at a time per k.
/// The portable fallback: runs on any processor.
/// </summary>
internal readonly unsafe struct ScalarMicroKernel : IGemmMicroKernel
{
    public static int Mr => 4;

    public static int Nr => 4;

    public static GemmBlocking Blocking => new(Mc: 512, Nc: 512, Kc: 256);

    // Full optimization from the first call: a tier-0 kernel is ten times slower, and one product may call it only a few times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            float a0 = a[0];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            a0 = a[1];
            c10 += a0 * b0; c11 += a0 * b1; c12 += a0 * b2; c13 += a0 * b3;
            a0 = a[2];
            c20 += a0 * b0; c21 += a0 * b1; c22 += a0 * b2; c23 += a0 * b3;
            a0 = a[3];
            c30 += a0 * b0; c31 += a0 * b1; c32 += a0 * b2; c33 += a0 * b3;
            a += 4;
            b += 4;
        }
        Update(c, c00, c01, c02, c03, alpha, beta);
        Update(c + ldc, c10, c11, c12, c13, alpha, beta);
        Update(c + 2 * ldc, c20, c21, c22, c23, alpha, beta);
        Update(c + 3 * ldc, c30, c31, c32, c33, alpha, beta);
    }

    private static void Update(float* c, float x0, float x1, float x2, float x3, float alpha, float beta)
    {
        if (beta == 0)
        {
            c[0] = alpha * x0;
            c[1] = alpha * x1;
            c[2] = alpha * x2;
            c[3] = alpha * x3;
        }
        else
        {
            c[0] = alpha * x0 + beta * c[0];
            c[1] = alpha * x1 + beta * c[1];
            c[2] = alpha * x2 + beta * c[2];
            c[3] = alpha * x3 + beta * c[3];
        }
    }
}
