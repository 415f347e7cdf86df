using System.Security.Cryptography;
using HashTensorBench.Bitcoin;
using HashTensorBench.Hashing;

namespace HashTensorBench.Tests.Hashing;

/// <summary>The obvious search, independent of the kernels: the platform's SHA-256 twice per nonce.</summary>
public static class ReferenceSearch
{
    public static byte[] Hash(in BlockHeader header, uint nonce)
    {
        var bytes = header.WithNonce(nonce).ToArray();
        return SHA256.HashData(SHA256.HashData(bytes));
    }

    public static List<NonceHit> Search(in BlockHeader header, Target target, NonceRange range)
    {
        var hits = new List<NonceHit>();
        for (long n = range.Start; n < range.End; n++)
        {
            var hash = UInt256.FromLittleEndian(Hash(header, (uint)n));
            if (hash <= target.Value)
                hits.Add(new NonceHit((uint)n, hash, header.Version));
        }
        return hits;
    }

    public static BlockHeader RandomHeader(Random random)
    {
        var bytes = new byte[BlockHeader.SizeInBytes];
        random.NextBytes(bytes);
        return BlockHeader.Read(bytes);
    }
}
