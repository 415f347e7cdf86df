using HashTensorBench.Bitcoin;

namespace HashTensorBench.Hashing;

/// <summary>A nonce whose header hash meets the target, and that hash.</summary>
/// <param name="Nonce">The nonce.</param>
/// <param name="Hash">The block hash with that nonce (display order in <see cref="UInt256.ToString()"/>).</param>
public readonly record struct NonceHit(uint Nonce, UInt256 Hash);
