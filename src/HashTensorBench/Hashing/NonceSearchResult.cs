namespace HashTensorBench.Hashing;

/// <summary>What a nonce search found and how long it took.</summary>
/// <param name="Device">The device that searched, as <see cref="INonceSearcher.Name"/> says.</param>
/// <param name="Range">The nonces searched.</param>
/// <param name="Hits">Every nonce in the range whose hash meets the target, in ascending order.</param>
/// <param name="Elapsed">The search's own wall time.</param>
public sealed record NonceSearchResult(string Device, NonceRange Range, IReadOnlyList<NonceHit> Hits, TimeSpan Elapsed)
{
    /// <summary>How many hashes the search computed: one per nonce.</summary>
    public long Hashes => Range.Count;

    /// <summary>Double SHA-256 hashes per second of wall time.</summary>
    public double HashesPerSecond => Hashes / Elapsed.TotalSeconds;
}
