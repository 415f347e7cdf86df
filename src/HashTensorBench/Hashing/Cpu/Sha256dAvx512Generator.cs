using HashTensorBench.Platform.CodeGeneration;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;
using F = HashTensorBench.Hashing.Cpu.Sha256dAvx512Frame;

namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// Emits the sha256d nonce search for sixteen nonces per zmm register, with the whole message schedule in registers:
/// the sixteen words a round and the schedule need live in zmm16–zmm31 as a ring (W[i] replaces W[i − 16]), so nothing
/// but the job's constants is read from memory, and those as broadcasts folded into the additions.
/// </summary>
/// <remarks>
/// <para>The calling convention: <c>uint Search(byte* frame)</c> in the platform's C convention (the frame in rdi on
/// Linux, rcx on Windows). For each group g below Groups it hashes the nonces First + 16g + lane (wrapping past
/// 2^32 − 1), writes the mask of lanes whose hash's top word is at most Threshold to the frame's masks, and returns
/// the masks' OR. It uses only registers that both conventions let a callee change, keeping xmm6–xmm12 in the frame on
/// Windows, and no stack, so it needs no unwind data.</para>
/// <para>What does not depend on the nonce is the host's (<see cref="F"/>): rounds 0–3 of the header's second block
/// but for the nonce word, every constant message word and the constant terms of the varying ones, and round 0 of the
/// second hash but for its W0. The second hash stops at round 60, whose new e is the last state word; rounds 57–60
/// compute only e, as their new a reaches no later word.</para>
/// </remarks>
internal sealed class Sha256dAvx512Generator : X64CodeGenerator
{
    // Registers, named once. The working variables are eight consecutive registers from zmm0 (zmm1 in the hybrid,
    // whose SHA-NI nonces need xmm0), their roles rotating each round, then the rounds' and schedule's scratch T0 and
    // T1, then T2 (in the hybrid zmm15, which it shares); the schedule's ring is zmm16–zmm31. The plain kernel keeps the lane numbers and the byte swap in zmm11 and zmm12;
    // the hybrid reads them from the frame, once a group. Group counts the groups, Any ORs their masks, Mask is a
    // group's.
    internal static readonly AssemblerRegister64 Frame = r8, Group64 = r9;
    internal static readonly AssemblerRegister32 Group = r9d, Any = eax, Mask = edx;
    private static readonly AssemblerRegister32 Nonce = r10d;
    private const int SavedXmmCount = 7;

    // vpternlogd truth tables over (dst, src1, src2).
    private const byte Xor3 = 0x96, Choose = 0xCA, Majority = 0xE8;
    // vpcmpud's predicate "less than or equal".
    private const byte LessOrEqual = 2;

    private readonly F.Word[] _hash1 = F.Words(1), _hash2 = F.Words(2);

    // The register of each working variable a–h.
    private readonly AssemblerRegisterZMM[] _state = new AssemblerRegisterZMM[8];

    private readonly bool _windows;
    private readonly int _firstState, _stride;
    private readonly AssemblerRegisterZMM _t0, _t1, _t2;
    private readonly AssemblerRegisterZMM? _laneIndices, _byteSwap;

    /// <summary>The kernel for the running operating system's calling convention.</summary>
    public Sha256dAvx512Generator()
        : this(OperatingSystem.IsWindows())
    {
    }

    /// <summary>The kernel for Windows' calling convention or the System V one.</summary>
    public Sha256dAvx512Generator(bool windows)
        : this(windows, firstState: 0, stride: F.Lanes, t2: zmm10, constantsInRegisters: true)
    {
    }

    private Sha256dAvx512Generator(bool windows, int firstState, int stride, AssemblerRegisterZMM t2, bool constantsInRegisters)
    {
        _windows = windows;
        _firstState = firstState;
        _stride = stride;
        _t0 = new(Register.ZMM8 + firstState);
        _t1 = new(Register.ZMM9 + firstState);
        _t2 = t2;
        if (constantsInRegisters)
        {
            _laneIndices = new(Register.ZMM11 + firstState);
            _byteSwap = new(Register.ZMM12 + firstState);
        }
    }

    /// <summary>
    /// The group of sixteen nonces inside the hybrid kernel (<see cref="Sha256dHybridGenerator"/>), which hashes
    /// <paramref name="stride"/> nonces a pass: the working variables in zmm1–zmm8, the scratch zmm9, zmm10 and
    /// <see cref="SharedScratch"/>, the lane numbers and byte swap read from the frame; xmm0 and xmm11–xmm14 are left alone.
    /// </summary>
    internal static Sha256dAvx512Generator Embedded(int stride) => new(false, firstState: 1, stride, SharedScratch, constantsInRegisters: false);

    /// <summary>The embedded group's third scratch register, which it shares with the SHA-NI nonces' (as xmm15): it holds a σ's term for one instruction or two.</summary>
    internal static readonly AssemblerRegisterZMM SharedScratch = zmm15;

    public override string Name => $"sha256d-avx512{(_windows ? "-windows" : "")}";

    public override int Lanes => F.Lanes;

    private static AssemblerRegisterZMM Ring(int word) => new(Register.ZMM16 + word % 16);

    private static AssemblerMemoryOperand Broadcast(int offset) => __dword_bcst[Frame + offset];

    protected override void Generate()
    {
        Section("prologue");
        Asm.mov(Frame, _windows ? rcx : rdi);
        if (_windows)
            KeepWindowsXmm(__xmmword_ptr[Frame + F.SavedXmm], SavedXmmCount, restore: false, vex: true);
        Asm.vmovdqu32(_laneIndices!.Value, __zmmword_ptr[Frame + F.LaneIndices]);
        Asm.vmovdqu32(_byteSwap!.Value, __zmmword_ptr[Frame + F.ByteSwap]);
        Asm.xor(Group, Group);
        Asm.xor(Any, Any);

        var loop = Asm.CreateLabel();
        Asm.Label(ref loop);
        FirstHash();
        SecondHash();
        Report();

        Section("loop");
        Asm.inc(Group);
        Asm.cmp(Group, __dword_ptr[Frame + F.Groups]);
        Asm.jb(loop);

        Section("epilogue");
        if (_windows)
            KeepWindowsXmm(__xmmword_ptr[Frame + F.SavedXmm], SavedXmmCount, restore: true, vex: true);
        Asm.vzeroupper();
        Asm.ret();
    }

    /// <summary>The two hashes of one group, for the hybrid to weave: no labels, and only zmm1–zmm10, zmm15–zmm31 and r10.</summary>
    internal CapturedCode Hashes() => Capture(() =>
    {
        FirstHash();
        SecondHash();
    });

    /// <summary>After <see cref="Hashes"/>: the group's candidate lanes as the low 16 bits of <see cref="Mask"/>, the rest zero.</summary>
    internal CapturedCode CandidateLanes() => Capture(CompareLanes);

    // The header's second block from round 4: W3 is the nonce, and rounds 0–3 are the job's but for adding it.
    private void FirstHash()
    {
        Section("hash 1, round 3: the nonce");
        // The nonce is little-endian in the header; SHA-256 reads it as a big-endian word.
        var w3 = Ring(3);
        if (_stride == F.Lanes)
        {
            Asm.mov(Nonce, Group);
            Asm.shl(Nonce, 4);
        }
        else
        {
            Asm.imul(Nonce, Group, _stride);
        }
        Asm.add(Nonce, __dword_ptr[Frame + F.First]);
        Asm.vpbroadcastd(w3, Nonce);
        if (_laneIndices is { } laneIndices)
            Asm.vpaddd(w3, w3, laneIndices);
        else
            Asm.vpaddd(w3, w3, __zmmword_ptr[Frame + F.LaneIndices]);
        ByteSwap(w3);
        for (int i = 0; i < 8; i++)
        {
            _state[i] = new AssemblerRegisterZMM(Register.ZMM0 + _firstState + i);
            if (i % 4 == 0)
                Asm.vpaddd(_state[i], w3, Broadcast(F.Round3 + 4 * i));
            else
                Asm.vpbroadcastd(_state[i], __dword_ptr[Frame + F.Round3 + 4 * i]);
        }
        for (int i = 4; i < 64; i += 4)
        {
            Section($"hash 1, rounds {i}-{i + 3}");
            for (int r = i; r < i + 4; r++)
            {
                Schedule(_hash1, F.Hash1Partial, r);
                Round(_hash1, F.Hash1Kw, r, newA: true);
            }
        }

        Section("hash 1: add the midstate, the words of hash 2");
        for (int i = 0; i < 8; i++)
            Asm.vpaddd(Ring(i), _state[i], Broadcast(F.Midstate + 4 * i));
    }

    // The second hash's rounds 1–60 (round 0 is the job's but for W0); round 60's new e is the last state word.
    private void SecondHash()
    {
        Section("hash 2, round 0: the first hash");
        for (int i = 0; i < 8; i++)
        {
            if (i % 4 == 0)
                Asm.vpaddd(_state[i], Ring(0), Broadcast(F.Hash2Round1 + 4 * i));
            else
                Asm.vpbroadcastd(_state[i], __dword_ptr[Frame + F.Hash2Round1 + 4 * i]);
        }
        for (int i = 1; i <= 60; i += 4)
        {
            int last = Math.Min(i + 3, 60);
            Section($"hash 2, rounds {i}-{last}");
            for (int r = i; r <= last; r++)
            {
                Schedule(_hash2, F.Hash2Partial, r);
                Round(_hash2, F.Hash2Kw, r, newA: r < 57);
            }
        }
    }

    // The last state word plus the initial value's, compared byte-reversed with the threshold; the mask goes out.
    private void Report()
    {
        Section("report candidates");
        CompareLanes();
        Asm.mov(__dword_ptr[Frame + Group64 * 4 + F.Masks], Mask);
        Asm.or(Any, Mask);
    }

    private void CompareLanes()
    {
        // Round 60 left its new e in the register that now has the role of e.
        Asm.vpaddd(_t0, _state[4], Broadcast(F.InitialH));
        Asm.vmovdqu32(__zmmword_ptr[Frame + F.LastWords], _t0);
        ByteSwap(_t0);
        Asm.vpcmpud(k1, _t0, Broadcast(F.Threshold), LessOrEqual);
        Asm.kmovw(Mask, k1);
    }

    private void ByteSwap(AssemblerRegisterZMM x)
    {
        if (_byteSwap is { } byteSwap)
            Asm.vpshufb(x, x, byteSwap);
        else
            Asm.vpshufb(x, x, __zmmword_ptr[Frame + F.ByteSwap]);
    }

    // W[i] = σ1(W[i-2]) + W[i-7] + σ0(W[i-15]) + W[i-16] over its varying terms, into W[i-16]'s register, plus the
    // host's sum of the constant ones. σ1 of the newest word, the longest path, is added last. Where W[i-16] is
    // constant its register is free: the first σ is computed into it, or the first sum written over it.
    private void Schedule(F.Word[] words, int partial, int i)
    {
        if (i < 16 || words[i] != F.Word.Varying)
            return;
        var w = Ring(i);
        bool constant = words[i - 2] != F.Word.Varying || words[i - 7] != F.Word.Varying
            || words[i - 15] != F.Word.Varying || words[i - 16] != F.Word.Varying;
        // The register that holds the sum so far: w itself once written, or W[i-7] not yet added to anything.
        AssemblerRegisterZMM? sum = words[i - 16] == F.Word.Varying ? w : null;
        if (words[i - 7] == F.Word.Varying)
            sum = Plus(sum, w, Ring(i - 7));
        foreach (var (word, r1, r2, shift) in new (int, byte, byte, byte)[] { (i - 15, 7, 18, 3), (i - 2, 17, 19, 10) })
        {
            if (words[word] != F.Word.Varying)
                continue;
            if (sum is null)
            {
                SmallSigma(w, Ring(word), r1, r2, shift);
                sum = w;
            }
            else
            {
                SmallSigma(_t0, Ring(word), r1, r2, shift);
                sum = Plus(sum, w, _t0);
            }
        }
        if (constant)
            Asm.vpaddd(w, sum ?? throw new InvalidOperationException($"W{i} has no varying term."), Broadcast(partial + 4 * i));
        else if (sum != w)
            throw new InvalidOperationException($"W{i} is a single register's copy.");
    }

    // sum + term into w, or term alone when there is no sum yet (it is added to the next term, or to the constant).
    private AssemblerRegisterZMM Plus(AssemblerRegisterZMM? sum, AssemblerRegisterZMM w, AssemblerRegisterZMM term)
    {
        if (sum is not { } held)
            return term;
        Asm.vpaddd(w, held, term);
        return w;
    }

    // One round. _t1 accumulates in h's register; then d + _t1 is the new e, and _t1 + Σ0(a) + Maj(a, b, c) the new a,
    // in h's register; the roles rotate by one. Without newA only the new e is computed.
    private void Round(F.Word[] words, int kw, int i, bool newA)
    {
        var (a, b, c, d, e, f, g, h) = (_state[0], _state[1], _state[2], _state[3], _state[4], _state[5], _state[6], _state[7]);
        if (words[i] == F.Word.Varying)
            Asm.vpaddd(h, h, Ring(i));
        Asm.vpaddd(h, h, Broadcast(kw + 4 * i));
        BigSigma(_t0, e, 6, 11, 25);
        Asm.vpaddd(h, h, _t0);
        Asm.vmovdqa32(_t1, e);
        Asm.vpternlogd(_t1, f, g, Choose);
        Asm.vpaddd(h, h, _t1);
        Asm.vpaddd(d, d, h);
        if (newA)
        {
            BigSigma(_t0, a, 2, 13, 22);
            Asm.vpaddd(h, h, _t0);
            Asm.vmovdqa32(_t1, a);
            Asm.vpternlogd(_t1, b, c, Majority);
            Asm.vpaddd(h, h, _t1);
        }
        // New roles: a is h's register, e is d's.
        _state[0] = h;
        _state[1] = a;
        _state[2] = b;
        _state[3] = c;
        _state[4] = d;
        _state[5] = e;
        _state[6] = f;
        _state[7] = g;
    }

    // x ror r1 ⊕ x ror r2 ⊕ x ror r3 into destination (T0), with T1 and T2 as scratch.
    private void BigSigma(AssemblerRegisterZMM destination, AssemblerRegisterZMM x, byte r1, byte r2, byte r3)
    {
        Asm.vprord(destination, x, r1);
        Asm.vprord(_t1, x, r2);
        Asm.vprord(_t2, x, r3);
        Asm.vpternlogd(destination, _t1, _t2, Xor3);
    }

    // x ror r1 ⊕ x ror r2 ⊕ x >> s into destination (T0), with T1 and T2 as scratch.
    private void SmallSigma(AssemblerRegisterZMM destination, AssemblerRegisterZMM x, byte r1, byte r2, byte s)
    {
        Asm.vprord(destination, x, r1);
        Asm.vprord(_t1, x, r2);
        Asm.vpsrld(_t2, x, s);
        Asm.vpternlogd(destination, _t1, _t2, Xor3);
    }
}
