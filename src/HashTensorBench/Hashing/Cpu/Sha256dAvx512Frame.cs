namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// The memory the generated AVX-512 kernel works in, one per search thread: the call's inputs, the job's constants as
/// 32-bit words that the code broadcasts to all sixteen lanes as it reads them (<c>{1to16}</c>), and the outputs. Byte
/// offsets, shared by the generator and the host; the frame is 64-byte aligned. The message schedule never comes here:
/// it stays in registers.
/// </summary>
internal static class Sha256dAvx512Frame
{
    /// <summary>Nonces per group: one per 32-bit lane of a zmm register.</summary>
    public const int Lanes = 16;

    /// <summary>The groups of one call at most.</summary>
    public const int BatchGroups = 64;

    /// <summary>In: the first nonce, how many groups of <see cref="Lanes"/> nonces, and the largest top word to report.</summary>
    public const int First = 0, Groups = 4, Threshold = 8;

    /// <summary>The working variables a–h after round 3 of the header's second block, less the nonce word (added to a and e).</summary>
    public const int Round3 = 16;

    /// <summary>The midstate, added after the first hash's rounds.</summary>
    public const int Midstate = Round3 + 32;

    /// <summary>The working variables a–h after the second hash's round 0, less its word W0 (added to a and e): that round is otherwise constant.</summary>
    public const int Hash2Round1 = Midstate + 32;

    /// <summary>SHA-256's last initial word, added to the second hash's last word.</summary>
    public const int InitialH = Hash2Round1 + 32;

    /// <summary>Per round i, K[i] plus the message word where that word is the same for every nonce: the first hash, then the second.</summary>
    public const int Hash1Kw = 128, Hash2Kw = Hash1Kw + 64 * 4;

    /// <summary>Per message word computed in registers, the sum of its schedule terms that are the same for every nonce.</summary>
    public const int Hash1Partial = Hash2Kw + 64 * 4, Hash2Partial = Hash1Partial + 64 * 4;

    /// <summary>The lane numbers 0–15, and the <c>vpshufb</c> mask that reverses each word's bytes.</summary>
    public const int LaneIndices = Hash2Partial + 64 * 4, ByteSwap = LaneIndices + 64;

    /// <summary>Where the code keeps xmm6–xmm12 on Windows, whose convention has the callee preserve them.</summary>
    public const int SavedXmm = ByteSwap + 64;

    /// <summary>Out: the last group's last state words (the hash's top word, byte-reversed), for tests.</summary>
    public const int LastWords = SavedXmm + 7 * 16 + 16;

    /// <summary>Out: per group, the mask of lanes whose top word is at most <see cref="Threshold"/>.</summary>
    public const int Masks = LastWords + 64;

    /// <summary>The frame's size in bytes.</summary>
    public const int Size = Masks + BatchGroups * 4;

    /// <summary>A message word, as far as it depends on the nonce.</summary>
    public enum Word
    {
        /// <summary>Zero for every nonce: it costs nothing.</summary>
        Zero,

        /// <summary>The same for every nonce: the host computes it.</summary>
        Constant,

        /// <summary>Depends on the nonce: the code computes it in a register, with the host's sum of its constant terms.</summary>
        Varying,
    }

    /// <summary>Which of the 64 message words of hash 1 (the header's second block) or 2 vary with the nonce.</summary>
    public static Word[] Words(int hash)
    {
        var words = new Word[64];
        for (int i = 0; i < 16; i++)
        {
            words[i] = hash == 1
                ? i switch { 3 => Word.Varying, < 5 or 15 => Word.Constant, _ => Word.Zero }
                : i switch { < 8 => Word.Varying, 8 or 15 => Word.Constant, _ => Word.Zero };
        }
        for (int i = 16; i < 64; i++)
        {
            var terms = new[] { words[i - 2], words[i - 7], words[i - 15], words[i - 16] };
            words[i] = terms.Max();
        }
        return words;
    }

    /// <summary>Writes the job's constants into <paramref name="frame"/> (as 32-bit words), with <paramref name="threshold"/>.</summary>
    public static void Fill(Span<uint> frame, Sha256dJob job, uint threshold)
    {
        ReadOnlySpan<uint> k = Sha256dJob.K, iv = Sha256dJob.InitialState;
        frame[..(Size / 4)].Clear();
        frame[Threshold / 4] = threshold;
        uint[] round3 = [job.Round3A, job.Round3B, job.Round3C, job.Round3D, job.Round3E, job.Round3F, job.Round3G, job.Round3H];
        round3.CopyTo(frame[(Round3 / 4)..]);
        job.Midstate.CopyTo(frame[(Midstate / 4)..]);

        // Round 0 of hash 2 starts from the initial value: all of it but W0 is constant.
        uint t1 = iv[7] + ScalarLanes.BigSigma1(iv[4]) + ScalarLanes.Choose(iv[4], iv[5], iv[6]) + k[0];
        uint t2 = ScalarLanes.BigSigma0(iv[0]) + ScalarLanes.Majority(iv[0], iv[1], iv[2]);
        uint[] round1 = [t1 + t2, iv[0], iv[1], iv[2], iv[3] + t1, iv[4], iv[5], iv[6]];
        round1.CopyTo(frame[(Hash2Round1 / 4)..]);
        frame[InitialH / 4] = iv[7];

        Span<uint> block = stackalloc uint[16];
        block.Clear();
        job.Tail.CopyTo(block);
        block[4] = Sha256dJob.PaddingStart;
        block[15] = Sha256dJob.HeaderBits;
        Constants(frame, Words(1), block, Hash1Kw, Hash1Partial);
        block.Clear();
        block[8] = Sha256dJob.PaddingStart;
        block[15] = Sha256dJob.HashBits;
        Constants(frame, Words(2), block, Hash2Kw, Hash2Partial);

        for (int lane = 0; lane < Lanes; lane++)
        {
            frame[LaneIndices / 4 + lane] = (uint)lane;
            // Bytes 3, 2, 1, 0 of each word, as a little-endian word: 0x00010203 + 0x04040404 per word.
            frame[ByteSwap / 4 + lane] = 0x00010203u + 0x04040404u * (uint)(lane % 4);
        }
    }

    // The schedule's constant words, from the block's (varying words read as zero): K + W per round, and per varying
    // word the sum of its constant terms.
    private static void Constants(Span<uint> frame, Word[] words, ReadOnlySpan<uint> block, int kw, int partial)
    {
        Span<uint> w = stackalloc uint[64];
        for (int i = 0; i < 64; i++)
        {
            if (i < 16)
            {
                w[i] = words[i] == Word.Varying ? 0 : block[i];
            }
            else
            {
                uint sum = 0;
                if (words[i - 2] != Word.Varying)
                    sum += ScalarLanes.SmallSigma1(w[i - 2]);
                if (words[i - 7] != Word.Varying)
                    sum += w[i - 7];
                if (words[i - 15] != Word.Varying)
                    sum += ScalarLanes.SmallSigma0(w[i - 15]);
                if (words[i - 16] != Word.Varying)
                    sum += w[i - 16];
                if (words[i] == Word.Varying)
                    frame[partial / 4 + i] = sum;
                else
                    w[i] = sum;
            }
            frame[kw / 4 + i] = Sha256dJob.K[i] + (words[i] == Word.Varying ? 0 : w[i]);
        }
    }
}
