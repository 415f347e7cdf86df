namespace HashTensorBench.Hashing;

/// <summary>What a nonce search found and how long it took.</summary>
/// <param name="Device">The device that searched, as <see cref="INonceSearcher.Name"/> says.</param>
/// <param name="Hashes">How many hashes the search computed: one per nonce (and version) tried.</param>
/// <param name="Hits">Every nonce searched whose hash meets the target, in the order searched.</param>
/// <param name="Elapsed">The search's own wall time.</param>
public sealed record NonceSearchResult(string Device, long Hashes, IReadOnlyList<NonceHit> Hits, TimeSpan Elapsed)
{
    /// <summary>Double SHA-256 hashes per second of wall time.</summary>
    public double HashesPerSecond => Hashes / Elapsed.TotalSeconds;
}
