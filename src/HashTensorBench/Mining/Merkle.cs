using HashTensorBench.Bitcoin;

namespace HashTensorBench.Mining;

/// <summary>
/// Bitcoin's merkle tree over transaction ids, and the branch form Stratum sends: the sibling hashes on the
/// path from the coinbase (always the first leaf) to the root.
/// </summary>
/// <remarks>
/// Hashes are <see cref="UInt256"/> numbers whose little-endian bytes are the hash's internal (serialized)
/// order, as <see cref="BlockHeader.MerkleRoot"/> holds it; Stratum's branch hex is that byte order too.
/// </remarks>
public static class Merkle
{
    /// <summary>The double SHA-256 of a serialized transaction: its id, in internal byte order.</summary>
    public static UInt256 TransactionId(ReadOnlySpan<byte> transaction)
    {
        Span<byte> hash = stackalloc byte[Sha256d.HashSizeInBytes];
        Sha256d.HashData(transaction, hash);
        return UInt256.FromLittleEndian(hash);
    }

    /// <summary>The parent of two nodes: double SHA-256 of their 64 concatenated bytes.</summary>
    public static UInt256 Parent(UInt256 left, UInt256 right)
    {
        Span<byte> pair = stackalloc byte[2 * UInt256.SizeInBytes];
        left.WriteLittleEndian(pair);
        right.WriteLittleEndian(pair[UInt256.SizeInBytes..]);
        Span<byte> hash = stackalloc byte[Sha256d.HashSizeInBytes];
        Sha256d.HashData(pair, hash);
        return UInt256.FromLittleEndian(hash);
    }

    /// <summary>The root from the coinbase's id and Stratum's branches: each branch is hashed in on the right.</summary>
    public static UInt256 RootFromBranches(UInt256 coinbaseId, IReadOnlyList<UInt256> branches)
    {
        ArgumentNullException.ThrowIfNull(branches);
        var node = coinbaseId;
        foreach (var branch in branches)
            node = Parent(node, branch);
        return node;
    }

    /// <summary>The root of a block's transaction ids (coinbase first), Bitcoin's way: an odd level repeats its last node.</summary>
    /// <exception cref="ArgumentException">There are no ids.</exception>
    public static UInt256 Root(IReadOnlyList<UInt256> transactionIds)
    {
        ArgumentNullException.ThrowIfNull(transactionIds);
        if (transactionIds.Count == 0)
            ThrowHelper.ThrowArgument(nameof(transactionIds), "A block has at least one transaction, its coinbase.");
        var level = transactionIds.ToList();
        while (level.Count > 1)
            level = NextLevel(level);
        return level[0];
    }

    /// <summary>
    /// The branches a pool sends for a block's transactions (coinbase first; its id does not matter, so
    /// any value will do there): with them, <see cref="RootFromBranches"/> of the real coinbase id gives the root.
    /// </summary>
    /// <exception cref="ArgumentException">There are no ids.</exception>
    public static IReadOnlyList<UInt256> BranchesForCoinbase(IReadOnlyList<UInt256> transactionIds)
    {
        ArgumentNullException.ThrowIfNull(transactionIds);
        if (transactionIds.Count == 0)
            ThrowHelper.ThrowArgument(nameof(transactionIds), "A block has at least one transaction, its coinbase.");
        var branches = new List<UInt256>();
        var level = transactionIds.ToList();
        while (level.Count > 1)
        {
            // The coinbase's path is always the leftmost node: its sibling is the level's second node.
            branches.Add(level[1]);
            level = NextLevel(level);
        }
        return branches;
    }

    private static List<UInt256> NextLevel(List<UInt256> level)
    {
        var next = new List<UInt256>((level.Count + 1) / 2);
        for (int i = 0; i < level.Count; i += 2)
            next.Add(Parent(level[i], level[Math.Min(i + 1, level.Count - 1)]));
        return next;
    }
}
