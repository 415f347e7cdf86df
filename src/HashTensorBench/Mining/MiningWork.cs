using HashTensorBench.Bitcoin;

namespace HashTensorBench.Mining;

/// <summary>
/// What a miner searches now: a pool's job with the session's extranonce1, extranonce2 size, version mask
/// and share target.
/// </summary>
/// <param name="Job">The job.</param>
/// <param name="Extranonce1">The session's extranonce1 from <c>mining.subscribe</c>.</param>
/// <param name="Extranonce2Size">How many bytes of extranonce2 the miner chooses.</param>
/// <param name="VersionMask">The version bits the pool lets the miner roll; 0 for none.</param>
/// <param name="Difficulty">The pool difficulty.</param>
/// <param name="Session">Which connection the work came on: a share from another session is not sent.</param>
/// <param name="Generation">Increases with every new work; a miner takes newer work when it sees a larger one.</param>
/// <param name="Abandoned">Cancelled when the work is void at once: a clean job, a new extranonce, a lost connection.</param>
public sealed record MiningWork(StratumJob Job, ReadOnlyMemory<byte> Extranonce1, int Extranonce2Size, int VersionMask,
    double Difficulty, int Session, long Generation, CancellationToken Abandoned)
{
    /// <summary>The target a share's hash must meet.</summary>
    public Target ShareTarget { get; } = Mining.ShareTarget.FromDifficulty(Difficulty);

    /// <summary>Extranonce2 number <paramref name="counter"/>: its little-endian bytes, <see cref="Extranonce2Size"/> of them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The counter does not fit in the size.</exception>
    public byte[] Extranonce2(ulong counter)
    {
        if (Extranonce2Size < 8 && counter >> (8 * Extranonce2Size) != 0)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(counter), $"Extranonce2 {counter} does not fit in {Extranonce2Size} bytes.");
        var bytes = new byte[Extranonce2Size];
        for (int i = 0; i < Math.Min(8, Extranonce2Size); i++)
            bytes[i] = (byte)(counter >> (8 * i));
        return bytes;
    }

    /// <summary>How many extranonce2 values the size allows (capped at 2^64 − 1).</summary>
    public ulong Extranonce2Count => Extranonce2Size >= 8 ? ulong.MaxValue : 1UL << (8 * Extranonce2Size);
}

/// <summary>A share found and checked: the fields <c>mining.submit</c> sends, and what its hash reaches.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Extranonce2">The extranonce2 used.</param>
/// <param name="Time">The header's nTime.</param>
/// <param name="Nonce">The nonce.</param>
/// <param name="Version">The header's full version (rolled or not).</param>
/// <param name="Hash">The block hash, recomputed on the CPU.</param>
/// <param name="Difficulty">The difficulty the hash reaches.</param>
/// <param name="IsBlock">Whether the hash also meets the network target: a block.</param>
public sealed record Share(string JobId, ReadOnlyMemory<byte> Extranonce2, uint Time, uint Nonce, int Version, UInt256 Hash,
    double Difficulty, bool IsBlock);

/// <summary>What became of a share.</summary>
public enum ShareStatus
{
    /// <summary>The pool accepted it.</summary>
    Accepted,

    /// <summary>The pool rejected it.</summary>
    Rejected,

    /// <summary>Sent, but the pool did not answer (time-out or lost connection).</summary>
    Unanswered,

    /// <summary>Not sent: its session had ended.</summary>
    Stale,
}

/// <summary>The pool's answer to a share.</summary>
/// <param name="Status">Accepted, rejected, unanswered or stale.</param>
/// <param name="Reason">The pool's error or why there was no answer; null when accepted.</param>
public sealed record ShareResult(ShareStatus Status, string? Reason);
