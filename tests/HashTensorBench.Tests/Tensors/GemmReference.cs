using HashTensorBench.Tensors;

namespace HashTensorBench.Tests.Tensors;

/// <summary>The textbook triple loop in double precision, and the rounding bound an FP32 GEMM must meet against it.</summary>
internal static class GemmReference
{
    public static double[] Multiply(GemmShape shape, float[] a, float[] b, float[] c, float alpha, float beta, out double[] bound)
    {
        var result = new double[shape.CLength];
        bound = new double[shape.CLength];
        // Each entry is one dot product of K terms, then the slices of K (at most K of them) are each scaled
        // by alpha and added to C, and beta·C is added once. With FMA and any summation order, each of the
        // K products is touched by at most K + 2·K + 2 roundings of unit u = 2^-24, so Higham's bound gives
        // |error| ≤ γ_(3K+2)·(|alpha|·Σ|a·b| + |beta·c|) with γ_n = n·u / (1 − n·u). An indexing mistake
        // instead gives an error of about Σ|a·b| itself, 1/(3K·u) times larger.
        double u = Math.ScaleB(1, -24), n = 3.0 * shape.K + 2, gamma = n * u / (1 - n * u);
        for (int i = 0; i < shape.M; i++)
        {
            for (int j = 0; j < shape.N; j++)
            {
                double sum = 0, magnitude = 0;
                for (int k = 0; k < shape.K; k++)
                {
                    double product = (double)a[i * shape.K + k] * b[k * shape.N + j];
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                int index = i * shape.N + j;
                double old = beta == 0 ? 0 : (double)beta * c[index];
                result[index] = alpha * sum + old;
                bound[index] = gamma * (Math.Abs(alpha) * magnitude + Math.Abs(old));
            }
        }
        return result;
    }

    /// <summary>Fails with the first entry of C outside its bound.</summary>
    public static void AssertWithin(double[] expected, double[] bound, float[] actual, GemmShape shape)
    {
        for (int index = 0; index < expected.Length; index++)
        {
            double error = Math.Abs(actual[index] - expected[index]);
            if (!(error <= bound[index]))
                Assert.Fail($"{shape}: C[{index / shape.N}, {index % shape.N}] = {actual[index]}, expected {expected[index]} ± {bound[index]:E2}.");
        }
    }

    /// <summary>A, B and C with entries uniform in [−1, 1) from <paramref name="seed"/>.</summary>
    public static (float[] A, float[] B, float[] C) RandomOperands(GemmShape shape, int seed)
    {
        var random = new Random(seed);
        return (Uniform(shape.ALength, random), Uniform(shape.BLength, random), Uniform(shape.CLength, random));
    }

    public static float[] Uniform(int length, Random random) => [.. Enumerable.Range(0, length).Select(_ => random.NextSingle() * 2 - 1)];
}
