using HashTensorBench.Bitcoin;

namespace HashTensorBench.Hashing;

/// <summary>A nonce whose header hash meets the target, and that hash.</summary>
/// <param name="Nonce">The nonce.</param>
/// <param name="Hash">The block hash with that nonce (display order in <see cref="UInt256.ToString()"/>).</param>
/// <param name="Version">The header version the hash was computed with: the header's own, or a rolled one (<see cref="VersionRolling"/>).</param>
public readonly record struct NonceHit(uint Nonce, UInt256 Hash, int Version);
