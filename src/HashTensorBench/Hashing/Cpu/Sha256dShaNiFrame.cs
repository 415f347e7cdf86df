namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// The memory the generated SHA-NI kernel works in, one per search thread: the call's inputs, the job's constants
/// as 16-byte quads in the order SHA-NI reads them, each nonce's message schedule, and the candidates found.
/// Byte offsets, shared by the generator and the host. The frame must be 16-byte aligned: legacy SSE instructions
/// fault on an unaligned memory operand.
/// </summary>
/// <remarks>
/// SHA-NI holds the working variables in two registers, ABEF and CDGH, whose 32-bit lanes 0–3 are (f, e, b, a) and
/// (h, g, d, c); a quad of message words holds W[4q] … W[4q + 3] in lanes 0–3.
/// </remarks>
internal static class Sha256dShaNiFrame
{
    /// <summary>The most nonces a generated kernel interleaves: seven states take xmm1–xmm14.</summary>
    public const int MaxWays = 7;

    /// <summary>The nonces of one call at most; the code rounds them up to whole groups of the interleave.</summary>
    public const int BatchNonces = 1024;

    /// <summary>In: the first nonce, how many nonces (a multiple of the interleave) and the largest top word to report.</summary>
    public const int First = 0, Count = 4, Threshold = 8;

    private const int Quad = 16;

    /// <summary>The working variables of the header's second block before round 2 (rounds 0 and 1 see no nonce).</summary>
    public const int Hash1Cdgh2 = 16, Hash1Abef2 = Hash1Cdgh2 + Quad;

    /// <summary>W0–W2 of the header's second block, and zero where the nonce goes; then K2 + W2 in lane 0 (K3 + W3 joins it per nonce).</summary>
    public const int Hash1Words0To3 = Hash1Abef2 + Quad, Hash1Wk2 = Hash1Words0To3 + Quad;

    /// <summary>W4–W15 of the header's second block (padding), three quads, then K + W of the same rounds.</summary>
    public const int Hash1Words4To15 = Hash1Wk2 + Quad, Hash1Wk4To15 = Hash1Words4To15 + 3 * Quad;

    /// <summary>The midstate, added after the first hash's rounds.</summary>
    public const int MidstateAbef = Hash1Wk4To15 + 3 * Quad, MidstateCdgh = MidstateAbef + Quad;

    /// <summary>SHA-256's initial hash value, the second hash's starting state.</summary>
    public const int InitialAbef = MidstateCdgh + Quad, InitialCdgh = InitialAbef + Quad;

    /// <summary>W8–W15 of the second hash (padding), two quads, then K + W of the same rounds.</summary>
    public const int Hash2Words8To15 = InitialCdgh + Quad, Hash2Wk8To15 = Hash2Words8To15 + 2 * Quad;

    /// <summary>The 64 round constants, sixteen quads.</summary>
    public const int K = Hash2Wk8To15 + 2 * Quad;

    /// <summary>Where the code keeps xmm6–xmm15 on Windows, whose convention has the callee preserve them.</summary>
    public const int SavedXmm = K + 16 * Quad;

    /// <summary>Each interleaved nonce's message words: 16 quads of the first hash, then 16 of the second.</summary>
    public const int Lanes = SavedXmm + 10 * Quad, LaneBytes = 32 * Quad, SecondHashWords = 16 * Quad;

    /// <summary>Out: per candidate, its index from <see cref="First"/> and its hash's top 32 bits.</summary>
    public const int Candidates = Lanes + MaxWays * LaneBytes;

    /// <summary>The frame's size in bytes.</summary>
    public const int Size = Candidates + (BatchNonces + MaxWays) * 2 * sizeof(uint);

    /// <summary>Writes the job's constants into <paramref name="frame"/> (as 32-bit words), with <paramref name="threshold"/>.</summary>
    public static void Fill(Span<uint> frame, Sha256dJob job, uint threshold)
    {
        ReadOnlySpan<uint> k = Sha256dJob.K;
        frame[..(Lanes / 4)].Clear();
        frame[Threshold / 4] = threshold;
        Cdgh(Words(frame, Hash1Cdgh2), job.Round2State);
        Abef(Words(frame, Hash1Abef2), job.Round2State);
        job.Tail.CopyTo(Words(frame, Hash1Words0To3));
        Words(frame, Hash1Wk2)[0] = k[2] + job.Tail[2];

        Span<uint> padding = stackalloc uint[12];
        padding[0] = Sha256dJob.PaddingStart;
        padding[11] = Sha256dJob.HeaderBits;
        WordsWithK(frame, Hash1Words4To15, Hash1Wk4To15, padding, 4);

        Abef(Words(frame, MidstateAbef), job.Midstate);
        Cdgh(Words(frame, MidstateCdgh), job.Midstate);
        Abef(Words(frame, InitialAbef), Sha256dJob.InitialState);
        Cdgh(Words(frame, InitialCdgh), Sha256dJob.InitialState);

        padding = padding[..8];
        padding.Clear();
        padding[0] = Sha256dJob.PaddingStart;
        padding[7] = Sha256dJob.HashBits;
        WordsWithK(frame, Hash2Words8To15, Hash2Wk8To15, padding, 8);

        k.CopyTo(frame[(K / 4)..]);
    }

    private static Span<uint> Words(Span<uint> frame, int offset) => frame.Slice(offset / 4, 4);

    // Message words from round `first` on, and beside them K + W.
    private static void WordsWithK(Span<uint> frame, int words, int wk, ReadOnlySpan<uint> w, int first)
    {
        for (int i = 0; i < w.Length; i++)
        {
            frame[words / 4 + i] = w[i];
            frame[wk / 4 + i] = Sha256dJob.K[first + i] + w[i];
        }
    }

    private static void Abef(Span<uint> quad, ReadOnlySpan<uint> s)
    {
        quad[0] = s[5];
        quad[1] = s[4];
        quad[2] = s[1];
        quad[3] = s[0];
    }

    private static void Cdgh(Span<uint> quad, ReadOnlySpan<uint> s)
    {
        quad[0] = s[7];
        quad[1] = s[6];
        quad[2] = s[3];
        quad[3] = s[2];
    }
}
