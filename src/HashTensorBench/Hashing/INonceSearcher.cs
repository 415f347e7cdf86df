using HashTensorBench.Bitcoin;

namespace HashTensorBench.Hashing;

/// <summary>
/// Searches a block header's nonces for those whose double SHA-256 meets a target. Every device (CPU
/// SIMD, GPU) implements it, and every implementation returns the same hits for the same input. Dispose it to
/// release its device (a GPU context; the CPU's holds nothing).
/// </summary>
public interface INonceSearcher : IDisposable
{
    /// <summary>The device and implementation, for reports (for example <c>cpu/avx512 x2</c>).</summary>
    string Name { get; }

    /// <summary>Finds every nonce in <paramref name="range"/> whose header hash is at most <paramref name="target"/>.</summary>
    /// <param name="header">The header; its own nonce is ignored.</param>
    /// <returns>The hits in ascending nonce order, all with the header's version.</returns>
    /// <param name="target">The target a hash must not exceed.</param>
    /// <param name="range">The nonces to try.</param>
    /// <param name="progress">Told the running count of hashes done, from time to time.</param>
    /// <param name="cancellationToken">Stops the search, which then throws <see cref="OperationCanceledException"/>.</param>
    NonceSearchResult Search(in BlockHeader header, Target target, NonceRange range,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default);
}
