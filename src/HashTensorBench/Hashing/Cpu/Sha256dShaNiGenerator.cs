using HashTensorBench.Platform.CodeGeneration;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;
using F = HashTensorBench.Hashing.Cpu.Sha256dShaNiFrame;

namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// Emits the sha256d nonce search with the SHA extensions (<c>sha256rnds2</c>, <c>sha256msg1</c>, <c>sha256msg2</c>),
/// a few nonces (the ways) interleaved so that one nonce's rounds run while another's wait for a result.
/// </summary>
/// <remarks>
/// <para>The calling convention: <c>uint Search(byte* frame)</c> in the platform's C convention (the frame in rdi on
/// Linux, rcx on Windows). The frame (<see cref="Sha256dShaNiFrame"/>) holds the inputs, the job's constants and the
/// scratch. The code hashes the nonces First + i for i below Count (a positive multiple of the ways; nonces wrap
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
internal sealed class Sha256dShaNiGenerator : X64CodeGenerator
{
    // Registers, named once. xmm0 is sha256rnds2's implicit operand, K + W of two rounds in its low lanes.
    // Index counts the batch's nonces and Found the candidates; Batch is the nonce of index 0 of the group.
    private static readonly AssemblerRegister64 Frame = r8, Index64 = r9, Found64 = r10, Candidates = r11;
    private static readonly AssemblerRegister32 Index = r9d, Found = r10d, Word = ecx;
    // T and Wk also serve as the schedule's scratch, so that seven nonces' states fit in xmm1–xmm14.
    private static readonly AssemblerRegisterXMM Wk = xmm0, T = xmm15;

    /// <summary>The first nonce of the group: the kernel sets it, the hybrid before the nonces it embeds.</summary>
    internal static readonly AssemblerRegister32 Batch = edx;
    private static readonly AssemblerRegister64 Batch64 = rdx;

    /// <summary>The register pairs of the embedded nonces, so how many run interleaved before the next as many.</summary>
    internal const int EmbeddedPairs = 2;

    private readonly int _ways, _frameBase, _pairs;
    private readonly bool _windows;
    // Where the embedded nonces leave their last state words; null in the kernel of its own.
    private readonly int? _lastWords;

    /// <summary>The kernel for the running operating system's calling convention.</summary>
    public Sha256dShaNiGenerator(int ways)
        : this(ways, OperatingSystem.IsWindows())
    {
    }

    /// <summary>The kernel for Windows' calling convention or the System V one.</summary>
    public Sha256dShaNiGenerator(int ways, bool windows)
        : this(ways, windows, 0, null, ways)
    {
    }

    private Sha256dShaNiGenerator(int ways, bool windows, int frameBase, int? lastWords, int pairs)
    {
        _ways = ways;
        _pairs = pairs;
        _windows = windows;
        _frameBase = frameBase;
        _lastWords = lastWords;
    }

    /// <summary>
    /// <paramref name="ways"/> nonces inside the hybrid kernel (<see cref="Sha256dHybridGenerator"/>): the nonces Batch + i,
    /// two at a time interleaved as in the kernel of its own, in the register pairs xmm13–xmm14 and xmm11–xmm12, with
    /// xmm0 and xmm15 as scratch; this frame's fields at <paramref name="frameBase"/> of the hybrid's; each nonce's last
    /// state word (the IV not yet added) to the 32-bit word at <paramref name="lastWords"/> + 4i. The instructions
    /// other than the SHA ones are VEX-encoded.
    /// </summary>
    internal static Sha256dShaNiGenerator Embedded(int ways, int frameBase, int lastWords) => new(ways, false, frameBase, lastWords, EmbeddedPairs);

    public override string Name => $"sha256d-shani-x{_ways}{(_windows ? "-windows" : "")}";

    public override int Lanes => _ways;

    // Each nonce's state is a pair of registers, xmm1 + 2n and xmm2 + 2n (embedded: xmm13 − 2n and xmm14 − 2n for n
    // the nonce's index modulo the pairs). Before round pair p, A holds ABEF when p is even: sha256rnds2 writes the new
    // ABEF over CDGH (the old ABEF is the new CDGH), so the roles swap every pair.
    private AssemblerRegisterXMM A(int lane) => new(_lastWords is null ? Register.XMM1 + 2 * lane : Register.XMM13 - 2 * (lane % _pairs));

    private AssemblerRegisterXMM B(int lane) => new(_lastWords is null ? Register.XMM2 + 2 * lane : Register.XMM14 - 2 * (lane % _pairs));

    // The SSE instructions besides the SHA ones: legacy-encoded in the kernel of its own, which must run where there is
    // no AVX; VEX-encoded when embedded, so that a register's first write clears its upper bits, as the AVX-512 code
    // shares xmm15 (a legacy write keeps them, and waits for the AVX-512 value there: the hybrid then ran at half speed).
    private bool Vex => _lastWords is not null;

    private void Movdqa(AssemblerRegisterXMM destination, AssemblerMemoryOperand source)
    {
        if (Vex) Asm.vmovdqa(destination, source); else Asm.movdqa(destination, source);
    }

    private void Movdqa(AssemblerRegisterXMM destination, AssemblerRegisterXMM source)
    {
        if (Vex) Asm.vmovdqa(destination, source); else Asm.movdqa(destination, source);
    }

    private void Movdqa(AssemblerMemoryOperand destination, AssemblerRegisterXMM source)
    {
        if (Vex) Asm.vmovdqa(destination, source); else Asm.movdqa(destination, source);
    }

    private void Paddd(AssemblerRegisterXMM destination, AssemblerMemoryOperand source)
    {
        if (Vex) Asm.vpaddd(destination, destination, source); else Asm.paddd(destination, source);
    }

    private void Paddd(AssemblerRegisterXMM destination, AssemblerRegisterXMM source)
    {
        if (Vex) Asm.vpaddd(destination, destination, source); else Asm.paddd(destination, source);
    }

    private void Pshufd(AssemblerRegisterXMM destination, AssemblerRegisterXMM source, byte order)
    {
        if (Vex) Asm.vpshufd(destination, source, order); else Asm.pshufd(destination, source, order);
    }

    private void Pinsrd(AssemblerRegisterXMM destination, AssemblerRegister32 source, byte lane)
    {
        if (Vex) Asm.vpinsrd(destination, destination, source, lane); else Asm.pinsrd(destination, source, lane);
    }

    private void Palignr(AssemblerRegisterXMM destination, AssemblerMemoryOperand source, byte shift)
    {
        if (Vex) Asm.vpalignr(destination, destination, source, shift); else Asm.palignr(destination, source, shift);
    }

    private void Palignr(AssemblerRegisterXMM destination, AssemblerRegisterXMM source, byte shift)
    {
        if (Vex) Asm.vpalignr(destination, destination, source, shift); else Asm.palignr(destination, source, shift);
    }

    private void Pblendw(AssemblerRegisterXMM destination, AssemblerRegisterXMM source, byte mask)
    {
        if (Vex) Asm.vpblendw(destination, destination, source, mask); else Asm.pblendw(destination, source, mask);
    }

    private AssemblerMemoryOperand At(int offset) => __xmmword_ptr[Frame + _frameBase + offset];

    protected override void Generate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(_ways, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_ways, F.MaxWays);
        Section("prologue");
        Asm.mov(Frame, _windows ? rcx : rdi);
        if (_windows)
            KeepWindowsXmm(At(F.SavedXmm), 10, restore: false, vex: false);
        Asm.xor(Index, Index);
        Asm.xor(Found, Found);
        Asm.lea(Candidates, __[Frame + F.Candidates]);

        var loop = Asm.CreateLabel();
        Asm.Label(ref loop);
        Section("the group's first nonce");
        Asm.mov(Batch, __dword_ptr[Frame + F.First]);
        Asm.add(Batch, Index);
        // Step by step, each for every nonce of the group before the next.
        foreach (var (section, emit) in Steps())
        {
            Section(section);
            for (int lane = 0; lane < _ways; lane++)
                emit(lane);
        }
        Report();

        Section("loop");
        Asm.add(Index, _ways);
        Asm.cmp(Index, __dword_ptr[Frame + F.Count]);
        Asm.jb(loop);

        Section("epilogue");
        Asm.mov(eax, Found);
        if (_windows)
            KeepWindowsXmm(At(F.SavedXmm), 10, restore: true, vex: false);
        Asm.ret();
    }

    /// <summary>The embedded nonces' hashes, for the hybrid to weave: as many nonces as there are register pairs interleaved, then the next as many.</summary>
    internal CapturedCode Hashes() => Capture(() =>
    {
        var steps = Steps().ToList();
        for (int first = 0; first < _ways; first += _pairs)
        {
            int end = Math.Min(first + _pairs, _ways);
            foreach (var (_, emit) in steps)
            {
                for (int lane = first; lane < end; lane++)
                    emit(lane);
            }
            // Round pair 30 left ABEF in B: its lane 0, f, is the e that round 60 made, the final h before the IV.
            for (int lane = first; lane < end; lane++)
                Asm.movd(__dword_ptr[Frame + _lastWords!.Value + 4 * lane], B(lane));
        }
    });

    // One nonce's work in order, as steps that each emit it for a nonce (lane) of the group. The first hash is the
    // header's second block: W0–W2 from the job, W3 the nonce, W4–W15 padding. The second: W0–W7 the first hash,
    // W8–W15 padding; it stops after round pair 30 (rounds 60 and 61).
    private IEnumerable<(string Section, Action<int> Emit)> Steps()
    {
        yield return ("hash 1, rounds 2-3: the nonce", Nonce);
        for (int q = 1; q < 4; q++)
        {
            int quad = q;
            yield return ($"hash 1, rounds {4 * q}-{4 * q + 3}: constant words", lane =>
            {
                Movdqa(Wk, At(F.Hash1Wk4To15 + 16 * (quad - 1)));
                FourRounds(lane, quad);
            });
        }
        for (int q = 4; q < 16; q++)
            yield return ScheduledRounds(1, q);
        yield return ("hash 1: add the midstate, the words of hash 2", Midstate);
        for (int q = 0; q < 4; q++)
        {
            int quad = q;
            yield return ($"hash 2, rounds {4 * q}-{4 * q + 3}", lane => SecondHashQuad(lane, quad));
        }
        for (int q = 4; q < 16; q++)
            yield return ScheduledRounds(2, q);
    }

    private void Nonce(int lane)
    {
        // The nonce is little-endian in the header; SHA-256 reads it as a big-endian word.
        Asm.lea(Word, __[Batch64 + lane]);
        Asm.bswap(Word);
        Movdqa(T, At(F.Hash1Words0To3));
        Pinsrd(T, Word, 3);
        Movdqa(Words(1, lane, 0), T);
        Asm.add(Word, unchecked((int)Sha256dJob.K[3]));
        Movdqa(Wk, At(F.Hash1Wk2));
        Pinsrd(Wk, Word, 1);
        Movdqa(A(lane), At(F.Hash1Cdgh2));
        Movdqa(B(lane), At(F.Hash1Abef2));
        TwoRounds(lane, 1);
    }

    private void Midstate(int lane)
    {
        // After round pair 31, A holds ABEF (f, e, b, a) and B holds CDGH (h, g, d, c).
        Paddd(A(lane), At(F.MidstateAbef));
        Paddd(B(lane), At(F.MidstateCdgh));
        Pshufd(T, A(lane), 0x1B);       // a b e f
        Pshufd(Wk, B(lane), 0xB1);      // g h c d
        Movdqa(A(lane), T);
        Pblendw(A(lane), Wk, 0xF0);     // a b c d: W0–W3
        Palignr(Wk, T, 8);              // e f g h: W4–W7
        Movdqa(Words(2, lane, 0), A(lane));
        Movdqa(Words(2, lane, 1), Wk);
    }

    private void SecondHashQuad(int lane, int q)
    {
        if (q == 0)
        {
            Movdqa(A(lane), At(F.InitialAbef));
            Movdqa(B(lane), At(F.InitialCdgh));
        }
        if (q < 2)
        {
            Movdqa(Wk, Words(2, lane, q));
            Paddd(Wk, At(F.K + 16 * q));
        }
        else
        {
            Movdqa(Wk, At(F.Hash2Wk8To15 + 16 * (q - 2)));
        }
        FourRounds(lane, q);
    }

    // Rounds 4q to 4q + 3 with W[4q…4q + 3] from the schedule; hash 2's last quad runs its first pair only.
    private (string, Action<int>) ScheduledRounds(int hash, int q)
    {
        bool last = hash == 2 && q == 15;
        return ($"hash {hash}, rounds {4 * q}-{4 * q + (last ? 1 : 3)}: schedule and rounds", lane =>
        {
            // W[i] = σ1(W[i-2]) + W[i-7] + σ0(W[i-15]) + W[i-16], four at a time.
            Movdqa(T, Words(hash, lane, q - 4));
            Asm.sha256msg1(T, Words(hash, lane, q - 3));
            Movdqa(Wk, Words(hash, lane, q - 1));
            Palignr(Wk, Words(hash, lane, q - 2), 4);
            Paddd(T, Wk);
            Asm.sha256msg2(T, Words(hash, lane, q - 1));
            if (q < 15)
                Movdqa(Words(hash, lane, q), T);
            Movdqa(Wk, T);
            Paddd(Wk, At(F.K + 16 * q));
            if (last)
                TwoRounds(lane, 2 * q);
            else
                FourRounds(lane, q);
        });
    }

    // Each nonce whose hash's top word (its last state word, byte-reversed) is at most Threshold goes to the candidates.
    private void Report()
    {
        Section("report candidates");
        for (int lane = 0; lane < _ways; lane++)
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
        Pshufd(Wk, Wk, 0x0E);
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
    private AssemblerMemoryOperand Words(int hash, int lane, int q)
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
