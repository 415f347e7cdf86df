using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// The sha256d nonce search, one nonce per lane, written once for every lane type.
/// </summary>
/// <remarks>
/// Per nonce it runs 61 rounds of the header's second block (rounds 0–2 and most of round 3 are in
/// <see cref="Sha256dJob"/>) and 61 rounds of the second hash: only the last state word is compared,
/// and it is final after round 60, so rounds 61–63 are skipped. Message words that are padding or zero
/// are folded into constants. A lane whose last word can still meet the target is confirmed exactly on
/// the host; all others are rejected without finishing the hash.
/// </remarks>
internal static class Sha256dLaneKernel<TVec, TLanes>
    where TVec : unmanaged
    where TLanes : struct, ISha256Lanes<TVec>
{
    /// <summary>Adds to <paramref name="hits"/> every nonce in <c>[first, end)</c> (end ≤ 2^32) whose hash meets the job's target.</summary>
    public static void Search(Sha256dJob job, long first, long end, List<NonceHit> hits)
    {
        Span<TVec> w1 = stackalloc TVec[64];
        Span<TVec> w2 = stackalloc TVec[64];
        ref TVec first1 = ref MemoryMarshal.GetReference(w1);
        ref TVec first2 = ref MemoryMarshal.GetReference(w2);
        FillConstantWords(job, ref first1, ref first2);
        uint threshold = job.Threshold;
        for (long position = first; position < end; position += TLanes.Count)
        {
            // The hash's top 32 bits are its last word, byte-reversed.
            ulong candidates = TLanes.AtMost(TLanes.ReverseEndianness(LastWord(job, ref first1, ref first2, (uint)position)), threshold);
            if (candidates != 0)
                Confirm(job, candidates, position, end, hits);
        }
    }

    /// <summary>The last state word of sha256d for the nonces <paramref name="first"/> + lane: the kernel's own output, for tests.</summary>
    public static void LastWords(Sha256dJob job, uint first, Span<uint> destination)
    {
        Span<TVec> w1 = stackalloc TVec[64];
        Span<TVec> w2 = stackalloc TVec[64];
        ref TVec first1 = ref MemoryMarshal.GetReference(w1);
        ref TVec first2 = ref MemoryMarshal.GetReference(w2);
        FillConstantWords(job, ref first1, ref first2);
        TLanes.Store(LastWord(job, ref first1, ref first2, first), destination);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Confirm(Sha256dJob job, ulong candidates, long position, long end, List<NonceHit> hits)
    {
        while (candidates != 0)
        {
            int lane = BitOperations.TrailingZeroCount(candidates);
            candidates &= candidates - 1;
            // Lanes past the end of the range (a partial last vector) are not part of the search.
            if (position + lane < end && job.TryConfirm((uint)(position + lane), out var hit))
                hits.Add(hit);
        }
    }

    // Words that are the same for every nonce: the padding of both blocks, and W16, W17 of the first.
    private static void FillConstantWords(Sha256dJob job, ref TVec w1, ref TVec w2)
    {
        for (int i = 5; i < 15; i++)
            W(ref w1, i) = TLanes.Broadcast(0);
        W(ref w1, 4) = TLanes.Broadcast(Sha256dJob.PaddingStart);
        W(ref w1, 15) = TLanes.Broadcast(Sha256dJob.HeaderBits);
        W(ref w1, 16) = TLanes.Broadcast(job.W16);
        W(ref w1, 17) = TLanes.Broadcast(job.W17);
        for (int i = 9; i < 15; i++)
            W(ref w2, i) = TLanes.Broadcast(0);
        W(ref w2, 8) = TLanes.Broadcast(Sha256dJob.PaddingStart);
        W(ref w2, 15) = TLanes.Broadcast(Sha256dJob.HashBits);
    }

    // Split into four methods so that each stays within the JIT's inlining budget: as one method, the
    // AVX2 instantiation stopped inlining rounds half way and ran at a third of its speed.
    private static TVec LastWord(Sha256dJob job, ref TVec w1, ref TVec w2, uint firstNonce)
    {
        // The nonce is little-endian in the header; SHA-256 reads it as a big-endian word.
        TVec w3 = TLanes.ReverseEndianness(TLanes.Sequence(firstNonce));
        ScheduleFirstHash(job, ref w1, w3);
        FirstHash(job, ref w1, ref w2, w3);
        ScheduleSecondHash(ref w2);
        return SecondHashLastWord(ref w2);
    }

    // W[i] = σ1(W[i-2]) + W[i-7] + σ0(W[i-15]) + W[i-16] for the header's second block, where W3 is the
    // nonce, W4 and W15 padding, and W5..W14 zero.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ScheduleFirstHash(Sha256dJob job, ref TVec w1, TVec w3)
    {
        W(ref w1, 18) = TLanes.Add(TLanes.SmallSigma0(w3), TLanes.Broadcast(job.W18Partial));
        W(ref w1, 19) = TLanes.Add(w3, TLanes.Broadcast(job.W19Partial));
        W(ref w1, 20) = TLanes.Add(TLanes.SmallSigma1(W(ref w1, 18)), TLanes.Broadcast(Sha256dJob.PaddingStart));
        W(ref w1, 21) = TLanes.SmallSigma1(W(ref w1, 19));
        W(ref w1, 22) = TLanes.Add(TLanes.SmallSigma1(W(ref w1, 20)), TLanes.Broadcast(Sha256dJob.HeaderBits));
        W(ref w1, 23) = TLanes.Add(TLanes.SmallSigma1(W(ref w1, 21)), TLanes.Broadcast(job.W16));
        W(ref w1, 24) = TLanes.Add(TLanes.SmallSigma1(W(ref w1, 22)), TLanes.Broadcast(job.W17));
        for (int i = 25; i < 30; i++)
            W(ref w1, i) = TLanes.Add(TLanes.SmallSigma1(W(ref w1, i - 2)), W(ref w1, i - 7));
        W(ref w1, 30) = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(W(ref w1, 28)), W(ref w1, 23)), TLanes.Broadcast(Sha256dJob.SmallSigma0OfHeaderBits));
        W(ref w1, 31) = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(W(ref w1, 29)), W(ref w1, 24)), TLanes.Broadcast(job.W31Partial));
        W(ref w1, 32) = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(W(ref w1, 30)), W(ref w1, 25)), TLanes.Broadcast(job.W32Partial));
        W(ref w1, 33) = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(W(ref w1, 31)), W(ref w1, 26)),
            TLanes.Add(TLanes.SmallSigma0(W(ref w1, 18)), TLanes.Broadcast(job.W17)));
        Schedule(ref w1, 34, 64);
    }

    // Rounds 3–63 of the header's second block; the first hash goes to W0..W7 of the second.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FirstHash(Sha256dJob job, ref TVec w1, ref TVec w2, TVec w3)
    {
        // Round 3 is the first that sees the nonce.
        TVec a = TLanes.Add(TLanes.Broadcast(job.Round3A), w3);
        TVec b = TLanes.Broadcast(job.Round3B);
        TVec c = TLanes.Broadcast(job.Round3C);
        TVec d = TLanes.Broadcast(job.Round3D);
        TVec e = TLanes.Add(TLanes.Broadcast(job.Round3E), w3);
        TVec f = TLanes.Broadcast(job.Round3F);
        TVec g = TLanes.Broadcast(job.Round3G);
        TVec h = TLanes.Broadcast(job.Round3H);
        for (int i = 4; i < 60; i += 8)
            Rounds8(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, ref w1, i);
        Rounds4(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, ref w1, 60);

        // The midstate plus the working variables, whose roles the last four rounds rotated.
        uint[] mid = job.Midstate;
        W(ref w2, 0) = TLanes.Add(TLanes.Broadcast(mid[0]), e);
        W(ref w2, 1) = TLanes.Add(TLanes.Broadcast(mid[1]), f);
        W(ref w2, 2) = TLanes.Add(TLanes.Broadcast(mid[2]), g);
        W(ref w2, 3) = TLanes.Add(TLanes.Broadcast(mid[3]), h);
        W(ref w2, 4) = TLanes.Add(TLanes.Broadcast(mid[4]), a);
        W(ref w2, 5) = TLanes.Add(TLanes.Broadcast(mid[5]), b);
        W(ref w2, 6) = TLanes.Add(TLanes.Broadcast(mid[6]), c);
        W(ref w2, 7) = TLanes.Add(TLanes.Broadcast(mid[7]), d);
    }

    // The second hash is one block: the 32-byte first hash, W8 and W15 padding, W9..W14 zero.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ScheduleSecondHash(ref TVec w2)
    {
        TVec x0 = W(ref w2, 0), x1 = W(ref w2, 1), x2 = W(ref w2, 2), x3 = W(ref w2, 3);
        TVec x4 = W(ref w2, 4), x5 = W(ref w2, 5), x6 = W(ref w2, 6), x7 = W(ref w2, 7);
        W(ref w2, 16) = TLanes.Add(TLanes.SmallSigma0(x1), x0);
        W(ref w2, 17) = TLanes.Add(TLanes.Add(TLanes.SmallSigma0(x2), x1), TLanes.Broadcast(Sha256dJob.SmallSigma1OfHashBits));
        W(ref w2, 18) = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(W(ref w2, 16)), TLanes.SmallSigma0(x3)), x2);
        W(ref w2, 19) = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(W(ref w2, 17)), TLanes.SmallSigma0(x4)), x3);
        W(ref w2, 20) = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(W(ref w2, 18)), TLanes.SmallSigma0(x5)), x4);
        W(ref w2, 21) = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(W(ref w2, 19)), TLanes.SmallSigma0(x6)), x5);
        W(ref w2, 22) = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(W(ref w2, 20)), TLanes.SmallSigma0(x7)),
            TLanes.Add(x6, TLanes.Broadcast(Sha256dJob.HashBits)));
        W(ref w2, 23) = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(W(ref w2, 21)), W(ref w2, 16)),
            TLanes.Add(x7, TLanes.Broadcast(Sha256dJob.SmallSigma0OfPaddingStart)));
        W(ref w2, 24) = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(W(ref w2, 22)), W(ref w2, 17)), TLanes.Broadcast(Sha256dJob.PaddingStart));
        for (int i = 25; i < 30; i++)
            W(ref w2, i) = TLanes.Add(TLanes.SmallSigma1(W(ref w2, i - 2)), W(ref w2, i - 7));
        W(ref w2, 30) = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(W(ref w2, 28)), W(ref w2, 23)), TLanes.Broadcast(Sha256dJob.SmallSigma0OfHashBits));
        W(ref w2, 31) = TLanes.Add(TLanes.Add(TLanes.SmallSigma1(W(ref w2, 29)), W(ref w2, 24)),
            TLanes.Add(TLanes.SmallSigma0(W(ref w2, 16)), TLanes.Broadcast(Sha256dJob.HashBits)));
        // Only W60 and earlier are needed: rounds 61–63 are skipped.
        Schedule(ref w2, 32, 61);
    }

    // Rounds 0–60 of the second hash. Round 60's new e is the final h; rounds 61–63 only move it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TVec SecondHashLastWord(ref TVec w2)
    {
        ReadOnlySpan<uint> iv = Sha256dJob.InitialState;
        TVec a = TLanes.Broadcast(iv[0]);
        TVec b = TLanes.Broadcast(iv[1]);
        TVec c = TLanes.Broadcast(iv[2]);
        TVec d = TLanes.Broadcast(iv[3]);
        TVec e = TLanes.Broadcast(iv[4]);
        TVec f = TLanes.Broadcast(iv[5]);
        TVec g = TLanes.Broadcast(iv[6]);
        TVec h = TLanes.Broadcast(iv[7]);
        for (int i = 0; i < 56; i += 8)
            Rounds8(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, ref w2, i);
        Rounds4(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, ref w2, 56);

        // Roles now: a→e, b→f, c→g, d→h, e→a, f→b, g→c, h→d. New e = d + T1.
        TVec t1 = TLanes.Add(TLanes.Add(TLanes.Add(d, TLanes.Add(TLanes.Broadcast(Sha256dJob.K[60]), W(ref w2, 60))),
            TLanes.Choose(a, b, c)), TLanes.BigSigma1(a));
        return TLanes.Add(TLanes.Add(h, t1), TLanes.Broadcast(iv[7]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref TVec W(ref TVec w, int i) => ref Unsafe.Add(ref w, i);

    private static void Schedule(ref TVec w, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            W(ref w, i) = TLanes.Add(
                TLanes.Add(TLanes.SmallSigma1(W(ref w, i - 2)), W(ref w, i - 7)),
                TLanes.Add(TLanes.SmallSigma0(W(ref w, i - 15)), W(ref w, i - 16)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds4(ref TVec a, ref TVec b, ref TVec c, ref TVec d, ref TVec e, ref TVec f, ref TVec g, ref TVec h, ref TVec w, int i)
    {
        Round(a, b, c, ref d, e, f, g, ref h, i, W(ref w, i));
        Round(h, a, b, ref c, d, e, f, ref g, i + 1, W(ref w, i + 1));
        Round(g, h, a, ref b, c, d, e, ref f, i + 2, W(ref w, i + 2));
        Round(f, g, h, ref a, b, c, d, ref e, i + 3, W(ref w, i + 3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds8(ref TVec a, ref TVec b, ref TVec c, ref TVec d, ref TVec e, ref TVec f, ref TVec g, ref TVec h, ref TVec w, int i)
    {
        Round(a, b, c, ref d, e, f, g, ref h, i, W(ref w, i));
        Round(h, a, b, ref c, d, e, f, ref g, i + 1, W(ref w, i + 1));
        Round(g, h, a, ref b, c, d, e, ref f, i + 2, W(ref w, i + 2));
        Round(f, g, h, ref a, b, c, d, ref e, i + 3, W(ref w, i + 3));
        Round(e, f, g, ref h, a, b, c, ref d, i + 4, W(ref w, i + 4));
        Round(d, e, f, ref g, h, a, b, ref c, i + 5, W(ref w, i + 5));
        Round(c, d, e, ref f, g, h, a, ref b, i + 6, W(ref w, i + 6));
        Round(b, c, d, ref e, f, g, h, ref a, i + 7, W(ref w, i + 7));
    }

    // One round; the new a lands in h and the new e in d, and the caller rotates the names.
    // T1 is summed so that Σ1(e), the longest path, is added last.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(TVec a, TVec b, TVec c, ref TVec d, TVec e, TVec f, TVec g, ref TVec h, int i, TVec w)
    {
        TVec t1 = TLanes.Add(TLanes.Add(TLanes.Add(h, TLanes.Add(TLanes.Broadcast(Sha256dJob.K[i]), w)), TLanes.Choose(e, f, g)), TLanes.BigSigma1(e));
        d = TLanes.Add(d, t1);
        h = TLanes.Add(t1, TLanes.Add(TLanes.BigSigma0(a), TLanes.Majority(a, b, c)));
    }
}
