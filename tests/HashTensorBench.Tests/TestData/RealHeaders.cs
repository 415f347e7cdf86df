using HashTensorBench.Bitcoin;

namespace HashTensorBench.Tests.TestData;

/// <summary>
/// Real Bitcoin mainnet headers: a few embedded, so a fresh clone checks real data, and the 8,887 of
/// <c>../shared/data/bitcoin-mainnet-headers.csv</c> where that file is present.
/// </summary>
public static class RealHeaders
{
    /// <summary>The library's known blocks (genesis, 1, 100000, 125552, 830000) as records.</summary>
    public static IReadOnlyList<HeaderRow> Embedded { get; } = [.. KnownHeaders.All.Select(b =>
        new HeaderRow(b.Height, b.Header.ToString(), b.Hash.ToString(), b.Header.Bits, b.Header.Nonce))];

    /// <summary>How many headers the shared data file holds: a loop over it asserts that it saw them all.</summary>
    public const int SharedCount = 8_887;

    /// <summary>Set by CI so that a missing data file fails the tests instead of skipping them.</summary>
    public const string RequireVariable = "HTB_REQUIRE_SHARED_DATA";

    private static readonly Lazy<IReadOnlyList<HeaderRow>?> s_shared = new(LoadShared);

    /// <summary>Every header of the shared data file; skips the calling test (or fails it under CI) when the file is absent.</summary>
    public static IReadOnlyList<HeaderRow> Shared()
    {
        var headers = s_shared.Value;
        if (headers is null)
        {
            string message = $"../shared/data/bitcoin-mainnet-headers.csv was not found above {AppContext.BaseDirectory}";
            if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
                Assert.Fail($"{message}, and {RequireVariable}=1 requires it.");
            Skip.If(true, message + ".");
        }
        return headers!;
    }

    /// <summary>Every <paramref name="step"/>-th shared header: a sample across all eras of the file.</summary>
    public static IEnumerable<HeaderRow> SharedSample(int step) => Shared().Where((_, i) => i % step == 0);

    // The repository sits beside shared/: walk up from the test binaries until ../shared/data appears.
    private static IReadOnlyList<HeaderRow>? LoadShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "..", "shared", "data", "bitcoin-mainnet-headers.csv");
            if (File.Exists(path))
                return HeaderCsv.Read(path);
        }
        return null;
    }
}
