using HashTensorBench.Bitcoin;
using HashTensorBench.Hashing;
using HashTensorBench.Hashing.Cpu;
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

        string readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        string example = File.ReadAllText(Path.Combine(Repository.Root, "tests", "HashTensorBench.Tests", "ReadmeExampleTests.cs"));
        int start = example.IndexOf("// --- README example start ---", StringComparison.Ordinal) + "// --- README example start ---".Length;
        int end = example.IndexOf("        // --- README example end ---", StringComparison.Ordinal);
        foreach (string line in example[start..end].Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
            Assert.Contains(line, readme);
    }
}
