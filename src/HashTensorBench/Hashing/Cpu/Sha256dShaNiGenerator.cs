using HashTensorBench.Platform.CodeGeneration;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;
using F = HashTensorBench.Hashing.Cpu.Sha256dShaNiFrame;

namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// Emits the sha256d nonce search with the SHA extensions (<c>sha256rnds2</c>, <c>sha256msg1</c>, <c>sha256msg2</c>),
/// <paramref name="ways"/> nonces interleaved so that one nonce's rounds run while another's wait for a result.
/// </summary>
/// <remarks>
/// <para>The calling convention: <c>uint Search(byte* frame)</c> in the platform's C convention (the frame in rdi on
/// Linux, rcx on Windows). The frame (<see cref="Sha256dShaNiFrame"/>) holds the inputs, the job's constants and the
/// scratch. The code hashes the nonces First + i for i below Count (a positive multiple of <paramref name="ways"/>; nonces wrap
/// past 2^32 − 1), writes (i, the hash's top 32 bits) for each whose top word is at most Threshold to the frame's
/// candidates, and returns how many it wrote. It uses only registers that both conventions let a callee change (rax,
/// rcx, rdx, r8–r11 and the xmm registers, keeping xmm6–xmm15 in the frame on Windows, where the caller owns them)
/// and no stack, so it needs no unwind data.</para>
/// <para>Per nonce: rounds 2–63 of the header's second block (rounds 0–1 see no nonce and come from the job), then
/// rounds 0–61 of the second hash, whose round 60 gives the hash's last word (rounds 61–63 only move it, and round
/// 61 comes along because <c>sha256rnds2</c> runs two). The message schedule goes through the frame, four words per
/// <c>sha256msg1</c>/<c>sha256msg2</c>: the legacy-encoded SHA instructions reach only xmm0–xmm15, too few to hold
/// several nonces' 16-word windows.</para>
/// </remarks>
internal sealed class Sha256dShaNiGenerator(int ways, bool windows) : X64CodeGenerator
{
    // Registers, named once. xmm0 is sha256rnds2's implicit operand, K + W of two rounds in its low lanes.
    // Index counts the batch's nonces and Found the candidates; Batch is the nonce of index 0 of the group.
    private static readonly AssemblerRegister64 Frame = r8, Index64 = r9, Found64 = r10, Candidates = r11, Batch64 = rdx;
    private static readonly AssemblerRegister32 Index = r9d, Found = r10d, Batch = edx, Word = ecx;
    // T and Wk also serve as the schedule's scratch, so that seven nonces' states fit in xmm1–xmm14.
    private static readonly AssemblerRegisterXMM Wk = xmm0, T = xmm15;

    /// <summary>The kernel for the running operating system's calling convention.</summary>
    public Sha256dShaNiGenerator(int ways)
        : this(ways, OperatingSystem.IsWindows())
    {
    }

    public override string Name => $"sha256d-shani-x{ways}{(windows ? "-windows" : "")}";

    public override int Lanes => ways;

    // Each nonce's state is a pair of registers, xmm1 + 2n and xmm2 + 2n. Before round pair p, A holds ABEF when p is
    // even: sha256rnds2 writes the new ABEF over CDGH (the old ABEF is the new CDGH), so the roles swap every pair.
    private static AssemblerRegisterXMM A(int lane) => new(Register.XMM1 + 2 * lane);

    private static AssemblerRegisterXMM B(int lane) => new(Register.XMM2 + 2 * lane);

    private static AssemblerMemoryOperand At(int offset) => __xmmword_ptr[Frame + offset];

    protected override void Generate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ways, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ways, F.MaxWays);
        Section("prologue");
        Asm.mov(Frame, windows ? rcx : rdi);
        if (windows)
        {
            for (int i = 0; i < 10; i++)
                Asm.movdqa(At(F.SavedXmm + 16 * i), new AssemblerRegisterXMM(Register.XMM6 + i));
        }
        Asm.xor(Index, Index);
        Asm.xor(Found, Found);
        Asm.lea(Candidates, __[Frame + F.Candidates]);

        var loop = Asm.CreateLabel();
        Asm.Label(ref loop);
        FirstHash();
        SecondHash();
        Report();

        Section("loop");
        Asm.add(Index, ways);
        Asm.cmp(Index, __dword_ptr[Frame + F.Count]);
        Asm.jb(loop);

        Section("epilogue");
        Asm.mov(eax, Found);
        if (windows)
        {
            for (int i = 0; i < 10; i++)
                Asm.movdqa(new AssemblerRegisterXMM(Register.XMM6 + i), At(F.SavedXmm + 16 * i));
        }
        Asm.ret();
    }

    // The header's second block: W0–W2 from the job, W3 the nonce, W4–W15 padding.
    private void FirstHash()
    {
        Section("hash 1, rounds 2-3: the nonce");
        Asm.mov(Batch, __dword_ptr[Frame + F.First]);
        Asm.add(Batch, Index);
        for (int lane = 0; lane < ways; lane++)
        {
            // The nonce is little-endian in the header; SHA-256 reads it as a big-endian word.
            Asm.lea(Word, __[Batch64 + lane]);
            Asm.bswap(Word);
            Asm.movdqa(T, At(F.Hash1Words0To3));
            Asm.pinsrd(T, Word, 3);
            Asm.movdqa(Words(1, lane, 0), T);
            Asm.add(Word, unchecked((int)Sha256dJob.K[3]));
            Asm.movdqa(Wk, At(F.Hash1Wk2));
            Asm.pinsrd(Wk, Word, 1);
            Asm.movdqa(A(lane), At(F.Hash1Cdgh2));
            Asm.movdqa(B(lane), At(F.Hash1Abef2));
            TwoRounds(lane, 1);
        }
        for (int q = 1; q < 4; q++)
        {
            Section($"hash 1, rounds {4 * q}-{4 * q + 3}: constant words");
            for (int lane = 0; lane < ways; lane++)
            {
                Asm.movdqa(Wk, At(F.Hash1Wk4To15 + 16 * (q - 1)));
                FourRounds(lane, q);
            }
        }
        for (int q = 4; q < 16; q++)
            ScheduledRounds(1, q);

        Section("hash 1: add the midstate, the words of hash 2");
        for (int lane = 0; lane < ways; lane++)
        {
            // After round pair 31, A holds ABEF (f, e, b, a) and B holds CDGH (h, g, d, c).
            Asm.paddd(A(lane), At(F.MidstateAbef));
            Asm.paddd(B(lane), At(F.MidstateCdgh));
            Asm.pshufd(T, A(lane), 0x1B);       // a b e f
            Asm.pshufd(Wk, B(lane), 0xB1);      // g h c d
            Asm.movdqa(A(lane), T);
            Asm.pblendw(A(lane), Wk, 0xF0);     // a b c d: W0–W3
            Asm.palignr(Wk, T, 8);              // e f g h: W4–W7
            Asm.movdqa(Words(2, lane, 0), A(lane));
            Asm.movdqa(Words(2, lane, 1), Wk);
        }
    }

    // The second hash: W0–W7 the first hash, W8–W15 padding; it stops after round pair 30 (rounds 60 and 61).
    private void SecondHash()
    {
        for (int q = 0; q < 4; q++)
        {
            Section($"hash 2, rounds {4 * q}-{4 * q + 3}");
            for (int lane = 0; lane < ways; lane++)
            {
                if (q == 0)
                {
                    Asm.movdqa(A(lane), At(F.InitialAbef));
                    Asm.movdqa(B(lane), At(F.InitialCdgh));
                }
                if (q < 2)
                {
                    Asm.movdqa(Wk, Words(2, lane, q));
                    Asm.paddd(Wk, At(F.K + 16 * q));
                }
                else
                {
                    Asm.movdqa(Wk, At(F.Hash2Wk8To15 + 16 * (q - 2)));
                }
                FourRounds(lane, q);
            }
        }
        for (int q = 4; q < 16; q++)
            ScheduledRounds(2, q);
    }

    // Rounds 4q to 4q + 3 with W[4q…4q + 3] from the schedule; hash 2's last quad runs its first pair only.
    private void ScheduledRounds(int hash, int q)
    {
        bool last = hash == 2 && q == 15;
        Section($"hash {hash}, rounds {4 * q}-{4 * q + (last ? 1 : 3)}: schedule and rounds");
        for (int lane = 0; lane < ways; lane++)
        {
            // W[i] = σ1(W[i-2]) + W[i-7] + σ0(W[i-15]) + W[i-16], four at a time.
            Asm.movdqa(T, Words(hash, lane, q - 4));
            Asm.sha256msg1(T, Words(hash, lane, q - 3));
            Asm.movdqa(Wk, Words(hash, lane, q - 1));
            Asm.palignr(Wk, Words(hash, lane, q - 2), 4);
            Asm.paddd(T, Wk);
            Asm.sha256msg2(T, Words(hash, lane, q - 1));
            if (q < 15)
                Asm.movdqa(Words(hash, lane, q), T);
            Asm.movdqa(Wk, T);
            Asm.paddd(Wk, At(F.K + 16 * q));
            if (last)
                TwoRounds(lane, 2 * q);
            else
                FourRounds(lane, q);
        }
    }

    // Each nonce whose hash's top word (its last state word, byte-reversed) is at most Threshold goes to the candidates.
    private void Report()
    {
        Section("report candidates");
        for (int lane = 0; lane < ways; lane++)
        {
            var next = Asm.CreateLabel();
            // Round pair 30 left ABEF in B: its lane 0, f, is the e that round 60 made, the final h before the IV.
            Asm.movd(Word, B(lane));
            Asm.add(Word, unchecked((int)Sha256dJob.InitialState[7]));
            Asm.bswap(Word);
            Asm.cmp(Word, __dword_ptr[Frame + F.Threshold]);
            Asm.ja(next);
            Asm.lea(eax, __[Index64 + lane]);
            Asm.mov(__dword_ptr[Candidates + Found64 * 8], eax);
            Asm.mov(__dword_ptr[Candidates + Found64 * 8 + 4], Word);
            Asm.inc(Found);
            Asm.Label(ref next);
        }
    }

    // Four rounds with K + W of all four in xmm0.
    private void FourRounds(int lane, int q)
    {
        TwoRounds(lane, 2 * q);
        Asm.pshufd(Wk, Wk, 0x0E);
        TwoRounds(lane, 2 * q + 1);
    }

    private void TwoRounds(int lane, int pair)
    {
        if (pair % 2 == 0)
            Asm.sha256rnds2(B(lane), A(lane));
        else
            Asm.sha256rnds2(A(lane), B(lane));
    }

    // Where the words W[4q…4q + 3] of a hash are: the frame's constants for padding, else the nonce's own schedule.
    private static AssemblerMemoryOperand Words(int hash, int lane, int q)
    {
        int own = F.Lanes + lane * F.LaneBytes + (hash == 2 ? F.SecondHashWords : 0) + 16 * q;
        return (hash, q) switch
        {
            (1, >= 1 and < 4) => At(F.Hash1Words4To15 + 16 * (q - 1)),
            (2, >= 2 and < 4) => At(F.Hash2Words8To15 + 16 * (q - 2)),
            _ => At(own),
        };
    }
}
