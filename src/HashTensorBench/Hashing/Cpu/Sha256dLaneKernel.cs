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
    /// <remarks>
    /// The kernel's methods are compiled fully optimized at their first call (AggressiveOptimization), as the
    /// GEMM micro-kernels are: tiered compilation would run the first chunks of every search in tier-0 code,
    /// several times slower, and the loop-free blocks of rounds have no back edge to move them up early.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Search(Sha256dJob job, long first, long end, List<NonceHit> hits)
    {
        // The message words of both hashes, and K broadcast (the rounds' loop adds it from memory).
        Span<TVec> words = stackalloc TVec[3 * 64];
        ref TVec first1 = ref MemoryMarshal.GetReference(words);
        ref TVec first2 = ref W(ref first1, 64);
        ref TVec k = ref W(ref first1, 128);
        FillConstantWords(job, ref first1, ref first2, ref k);
        uint threshold = job.Threshold;
        for (long position = first; position < end; position += TLanes.Count)
        {
            // The hash's top 32 bits are its last word, byte-reversed.
            ulong candidates = TLanes.AtMost(TLanes.ReverseEndianness(LastWord(job, ref first1, ref first2, ref k, (uint)position)), threshold);
            if (candidates != 0)
                Confirm(job, candidates, position, end, hits);
        }
    }

    /// <summary>The last state word of sha256d for the nonces <paramref name="first"/> + lane: the kernel's own output, for tests.</summary>
    public static void LastWords(Sha256dJob job, uint first, Span<uint> destination)
    {
        Span<TVec> words = stackalloc TVec[3 * 64];
        ref TVec first1 = ref MemoryMarshal.GetReference(words);
        ref TVec first2 = ref W(ref first1, 64);
        ref TVec k = ref W(ref first1, 128);
        FillConstantWords(job, ref first1, ref first2, ref k);
        TLanes.Store(LastWord(job, ref first1, ref first2, ref k, first), destination);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
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
    // Rounds 4–15 of the first hash and 8–15 of the second see only these constant words, and the
    // schedule reads none of them (its nonce-free terms are folded into the job), so those slots hold
    // K[i] + W[i]: such a round adds one word, and a zero word costs nothing.
    private static void FillConstantWords(Sha256dJob job, ref TVec w1, ref TVec w2, ref TVec kVectors)
    {
        ReadOnlySpan<uint> k = Sha256dJob.K;
        for (int i = 0; i < 64; i++)
            W(ref kVectors, i) = TLanes.Broadcast(k[i]);
        for (int i = 5; i < 15; i++)
            W(ref w1, i) = TLanes.Broadcast(k[i]);
        W(ref w1, 4) = TLanes.Broadcast(k[4] + Sha256dJob.PaddingStart);
        W(ref w1, 15) = TLanes.Broadcast(k[15] + Sha256dJob.HeaderBits);
        W(ref w1, 16) = TLanes.Broadcast(job.W16);
        W(ref w1, 17) = TLanes.Broadcast(job.W17);
        for (int i = 9; i < 15; i++)
            W(ref w2, i) = TLanes.Broadcast(k[i]);
        W(ref w2, 8) = TLanes.Broadcast(k[8] + Sha256dJob.PaddingStart);
        W(ref w2, 15) = TLanes.Broadcast(k[15] + Sha256dJob.HashBits);
    }

    // Split into methods so that each stays within the JIT's inlining budget: as one method, the AVX2
    // instantiation stopped inlining rounds half way and ran at a third of its speed.
    private static TVec LastWord(Sha256dJob job, ref TVec w1, ref TVec w2, ref TVec k, uint firstNonce)
    {
        // The nonce is little-endian in the header; SHA-256 reads it as a big-endian word.
        TVec w3 = TLanes.ReverseEndianness(TLanes.Sequence(firstNonce));
        ScheduleFirstHash(job, ref w1, w3);
        FirstHash(job, ref w1, ref w2, ref k, w3);
        ScheduleSecondHash(ref w2);
        return SecondHashLastWord(ref w2, ref k);
    }

    // W[i] = σ1(W[i-2]) + W[i-7] + σ0(W[i-15]) + W[i-16] for the header's second block, where W3 is the
    // nonce, W4 and W15 padding, and W5..W14 zero.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
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
        ScheduleFirstHash34To63(ref w1);
    }

    // Rounds 3–63 of the header's second block; the first hash goes to W0..W7 of the second.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void FirstHash(Sha256dJob job, ref TVec w1, ref TVec w2, ref TVec k, TVec w3)
    {
        // Round 3 is the first that sees the nonce.
        State s;
        s.A = TLanes.Add(TLanes.Broadcast(job.Round3A), w3);
        s.B = TLanes.Broadcast(job.Round3B);
        s.C = TLanes.Broadcast(job.Round3C);
        s.D = TLanes.Broadcast(job.Round3D);
        s.E = TLanes.Add(TLanes.Broadcast(job.Round3E), w3);
        s.F = TLanes.Broadcast(job.Round3F);
        s.G = TLanes.Broadcast(job.Round3G);
        s.H = TLanes.Broadcast(job.Round3H);
        s.BXorC = TLanes.Xor(s.B, s.C);
        FirstHashRounds4To19(ref s, ref w1);
        Rounds(ref s, ref w1, ref k, 20, 60);
        FirstHashRounds60To63(ref s, ref w1);

        // The midstate plus the working variables, whose roles the last twelve rounds rotated by four.
        uint[] mid = job.Midstate;
        W(ref w2, 0) = TLanes.Add(TLanes.Broadcast(mid[0]), s.E);
        W(ref w2, 1) = TLanes.Add(TLanes.Broadcast(mid[1]), s.F);
        W(ref w2, 2) = TLanes.Add(TLanes.Broadcast(mid[2]), s.G);
        W(ref w2, 3) = TLanes.Add(TLanes.Broadcast(mid[3]), s.H);
        W(ref w2, 4) = TLanes.Add(TLanes.Broadcast(mid[4]), s.A);
        W(ref w2, 5) = TLanes.Add(TLanes.Broadcast(mid[5]), s.B);
        W(ref w2, 6) = TLanes.Add(TLanes.Broadcast(mid[6]), s.C);
        W(ref w2, 7) = TLanes.Add(TLanes.Broadcast(mid[7]), s.D);
    }

    // The rounds whose words are constant (4–15 here, 0–15 of the second hash) and the ragged ends are
    // unrolled, so that every K[i] folds into its instruction and the zero words cost nothing; the other
    // rounds run in a loop of eight (Rounds), which keeps the code that runs per nonce within the
    // micro-op cache: unrolled throughout (30 KiB), the AVX2 kernel ran 15 % slower on Zen 3, bound by decoding.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void FirstHashRounds4To19(ref State s, ref TVec w) => Rounds16(ref s, ref w, 4, CombinedFirst1, CombinedEnd1);

    // The last four rounds: the roles end rotated by four (the new a is in E).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void FirstHashRounds60To63(ref State s, ref TVec w)
    {
        TVec a = s.A, b = s.B, c = s.C, d = s.D, e = s.E, f = s.F, g = s.G, h = s.H, bc = s.BXorC;
        Rounds4(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, ref w, ref bc, 60, CombinedFirst1, CombinedEnd1);
        (s.A, s.B, s.C, s.D, s.E, s.F, s.G, s.H, s.BXorC) = (a, b, c, d, e, f, g, h, bc);
    }

    // Rounds [from, to), a multiple of eight, with K[i] read from kVectors: the body is eight rounds.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Rounds(ref State s, ref TVec w, ref TVec kVectors, int from, int to)
    {
        TVec a = s.A, b = s.B, c = s.C, d = s.D, e = s.E, f = s.F, g = s.G, h = s.H, bc = s.BXorC;
        ref TVec wi = ref W(ref w, from), ki = ref W(ref kVectors, from);
        for (int i = from; i < to; i += 8)
        {
            Round(a, b, c, ref d, e, f, g, ref h, ref bc, TLanes.Add(W(ref ki, 0), W(ref wi, 0)));
            Round(h, a, b, ref c, d, e, f, ref g, ref bc, TLanes.Add(W(ref ki, 1), W(ref wi, 1)));
            Round(g, h, a, ref b, c, d, e, ref f, ref bc, TLanes.Add(W(ref ki, 2), W(ref wi, 2)));
            Round(f, g, h, ref a, b, c, d, ref e, ref bc, TLanes.Add(W(ref ki, 3), W(ref wi, 3)));
            Round(e, f, g, ref h, a, b, c, ref d, ref bc, TLanes.Add(W(ref ki, 4), W(ref wi, 4)));
            Round(d, e, f, ref g, h, a, b, ref c, ref bc, TLanes.Add(W(ref ki, 5), W(ref wi, 5)));
            Round(c, d, e, ref f, g, h, a, ref b, ref bc, TLanes.Add(W(ref ki, 6), W(ref wi, 6)));
            Round(b, c, d, ref e, f, g, h, ref a, ref bc, TLanes.Add(W(ref ki, 7), W(ref wi, 7)));
            wi = ref W(ref wi, 8);
            ki = ref W(ref ki, 8);
        }
        (s.A, s.B, s.C, s.D, s.E, s.F, s.G, s.H, s.BXorC) = (a, b, c, d, e, f, g, h, bc);
    }

    // The second hash is one block: the 32-byte first hash, W8 and W15 padding, W9..W14 zero.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
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
        ScheduleSecondHash32To60(ref w2);
    }

    // Rounds 0–60 of the second hash. Round 60's new e is the final h; rounds 61–63 only move it.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static TVec SecondHashLastWord(ref TVec w2, ref TVec k)
    {
        ReadOnlySpan<uint> iv = Sha256dJob.InitialState;
        State s;
        s.A = TLanes.Broadcast(iv[0]);
        s.B = TLanes.Broadcast(iv[1]);
        s.C = TLanes.Broadcast(iv[2]);
        s.D = TLanes.Broadcast(iv[3]);
        s.E = TLanes.Broadcast(iv[4]);
        s.F = TLanes.Broadcast(iv[5]);
        s.G = TLanes.Broadcast(iv[6]);
        s.H = TLanes.Broadcast(iv[7]);
        s.BXorC = TLanes.Xor(s.B, s.C);
        SecondHashRounds0To15(ref s, ref w2);
        Rounds(ref s, ref w2, ref k, 16, 56);
        return SecondHashRounds56To60(ref s, ref w2);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void SecondHashRounds0To15(ref State s, ref TVec w) => Rounds16(ref s, ref w, 0, CombinedFirst2, CombinedEnd2);

    // Rounds 56–59, then round 60's T1 alone. Rounds 57–59 compute only T1 and the new e: their new a never
    // reaches the last word, and the JIT drops it.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static TVec SecondHashRounds56To60(ref State s, ref TVec w)
    {
        TVec a = s.A, b = s.B, c = s.C, d = s.D, e = s.E, f = s.F, g = s.G, h = s.H, bc = s.BXorC;
        Rounds4(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, ref w, ref bc, 56, CombinedFirst2, CombinedEnd2);

        // Roles now: a→e, b→f, c→g, d→h, e→a, f→b, g→c, h→d. New e = d + T1.
        TVec t1 = TLanes.Add(TLanes.Add(TLanes.Add(d, KW(ref w, 60, CombinedFirst2, CombinedEnd2)), TLanes.Choose(a, b, c)), TLanes.BigSigma1(a));
        return TLanes.Add(TLanes.Add(h, t1), TLanes.Broadcast(Sha256dJob.InitialState[7]));
    }

    // The working variables between blocks of rounds, and b ⊕ c for the next round's Maj.
    private struct State
    {
        public TVec A, B, C, D, E, F, G, H, BXorC;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds16(ref State s, ref TVec w, int i, int combinedFirst, int combinedEnd)
    {
        TVec a = s.A, b = s.B, c = s.C, d = s.D, e = s.E, f = s.F, g = s.G, h = s.H, bc = s.BXorC;
        Rounds8(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, ref w, ref bc, i, combinedFirst, combinedEnd);
        Rounds8(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, ref w, ref bc, i + 8, combinedFirst, combinedEnd);
        (s.A, s.B, s.C, s.D, s.E, s.F, s.G, s.H, s.BXorC) = (a, b, c, d, e, f, g, h, bc);
    }

    // The slots of FillConstantWords that hold K[i] + W[i], per hash.
    private const int CombinedFirst1 = 4, CombinedEnd1 = 16, CombinedFirst2 = 8, CombinedEnd2 = 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref TVec W(ref TVec w, int i) => ref Unsafe.Add(ref w, i);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ScheduleFirstHash34To63(ref TVec w) => Schedule(ref w, 34, 64);

    // Only W60 and earlier are needed: rounds 61–63 are skipped.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ScheduleSecondHash32To60(ref TVec w) => Schedule(ref w, 32, 61);

    // W[i] = σ1(W[i-2]) + W[i-7] + σ0(W[i-15]) + W[i-16], through one moving reference (fixed offsets from it).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Schedule(ref TVec w, int from, int to)
    {
        ref TVec wi = ref W(ref w, from - 16);
        for (int i = from; i < to; i++)
        {
            W(ref wi, 16) = TLanes.Add(
                TLanes.Add(TLanes.SmallSigma1(W(ref wi, 14)), W(ref wi, 9)),
                TLanes.Add(TLanes.SmallSigma0(W(ref wi, 1)), W(ref wi, 0)));
            wi = ref W(ref wi, 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds4(ref TVec a, ref TVec b, ref TVec c, ref TVec d, ref TVec e, ref TVec f, ref TVec g, ref TVec h,
        ref TVec w, ref TVec bc, int i, int combinedFirst, int combinedEnd)
    {
        Round(a, b, c, ref d, e, f, g, ref h, ref bc, KW(ref w, i, combinedFirst, combinedEnd));
        Round(h, a, b, ref c, d, e, f, ref g, ref bc, KW(ref w, i + 1, combinedFirst, combinedEnd));
        Round(g, h, a, ref b, c, d, e, ref f, ref bc, KW(ref w, i + 2, combinedFirst, combinedEnd));
        Round(f, g, h, ref a, b, c, d, ref e, ref bc, KW(ref w, i + 3, combinedFirst, combinedEnd));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds8(ref TVec a, ref TVec b, ref TVec c, ref TVec d, ref TVec e, ref TVec f, ref TVec g, ref TVec h,
        ref TVec w, ref TVec bc, int i, int combinedFirst, int combinedEnd)
    {
        Rounds4(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, ref w, ref bc, i, combinedFirst, combinedEnd);
        Rounds4(ref e, ref f, ref g, ref h, ref a, ref b, ref c, ref d, ref w, ref bc, i + 4, combinedFirst, combinedEnd);
    }

    // K[i] + W[i]: the slot itself where FillConstantWords stored the sum (i in [combinedFirst, combinedEnd)).
    // With i a constant (the rounds are unrolled), K[i] folds into the instruction.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec KW(ref TVec w, int i, int combinedFirst, int combinedEnd) =>
        i >= combinedFirst && i < combinedEnd ? W(ref w, i) : TLanes.Add(TLanes.Broadcast(Sha256dJob.K[i]), W(ref w, i));

    // One round; the new a lands in h and the new e in d, and the caller rotates the names. bc carries b ⊕ c
    // in and this round's a ⊕ b out, for Maj. T1 is summed so that Σ1(e), the longest path, is added last.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(TVec a, TVec b, TVec c, ref TVec d, TVec e, TVec f, TVec g, ref TVec h, ref TVec bc, TVec kw)
    {
        TVec t1 = TLanes.Add(TLanes.Add(TLanes.Add(h, kw), TLanes.Choose(e, f, g)), TLanes.BigSigma1(e));
        d = TLanes.Add(d, t1);
        h = TLanes.Add(t1, TLanes.Add(TLanes.BigSigma0(a), TLanes.Majority(a, b, c, bc, out bc)));
    }
}
