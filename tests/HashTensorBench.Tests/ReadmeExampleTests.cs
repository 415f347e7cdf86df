using HashTensorBench.Bitcoin;
using HashTensorBench.Devices;
using HashTensorBench.Hashing;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Tensors;
using HashTensorBench.Tests.TestData;

namespace HashTensorBench.Tests;

/// <summary>README's API example, kept compiling and true.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void The_readme_search_example_finds_the_genesis_nonce()
    {
        // --- README example start ---
        var header = BlockHeader.Parse(
            "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c");
        INonceSearcher searcher = new CpuNonceSearcher();          // or NonceSearchers.Create("gpu")
        NonceSearchResult result = searcher.Search(header, header.Target, new NonceRange(2_083_000_000, 1_000_000));
        foreach (NonceHit hit in result.Hits)
            Console.WriteLine($"{hit.Nonce} {hit.Hash}");          // 2083236893 000000000019d668…
        // --- README example end ---
        Assert.Equal(2083236893u, Assert.Single(result.Hits).Nonce);
        AssertInReadme("README example");
    }

    [Fact]
    public void The_readme_gemm_example_multiplies_bf16_with_fp32_accumulation()
    {
        // --- README gemm example start ---
        using IMatrixMultiplier gemm = MatrixMultipliers.Create("cpu");     // or "cuda:0": the same call on a GPU
        var shape = new GemmShape(m: 64, n: 32, k: 128);
        BFloat16[] a = [.. Enumerable.Range(0, shape.ALength).Select(i => (BFloat16)(i % 7 - 3f))];
        BFloat16[] b = [.. Enumerable.Range(0, shape.BLength).Select(i => (BFloat16)(i % 5 * 0.5f))];
        var c = new float[shape.CLength];
        gemm.Multiply(shape, a, b, c);                                      // C = A·B, FP32 accumulation
        Console.WriteLine(string.Join(", ", gemm.ElementTypes));            // fp32, fp16, bf16
        // --- README gemm example end ---
        double expected = Enumerable.Range(0, shape.K).Sum(k => (double)(float)a[k] * (float)b[k * shape.N]);
        Assert.Equal(expected, c[0]);
        AssertInReadme("README gemm example");
    }

    // Every line between the markers appears in README.md.
    private static void AssertInReadme(string marker)
    {
        string readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        string example = File.ReadAllText(Path.Combine(Repository.Root, "tests", "HashTensorBench.Tests", "ReadmeExampleTests.cs"));
        int start = example.IndexOf($"// --- {marker} start ---", StringComparison.Ordinal) + $"// --- {marker} start ---".Length;
        int end = example.IndexOf($"        // --- {marker} end ---", StringComparison.Ordinal);
        foreach (string line in example[start..end].Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
            Assert.Contains(line, readme);
    }
}
