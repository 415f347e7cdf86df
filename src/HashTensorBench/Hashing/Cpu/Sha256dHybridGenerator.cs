using HashTensorBench.Platform.CodeGeneration;
using static Iced.Intel.AssemblerRegisters;
using F = HashTensorBench.Hashing.Cpu.Sha256dHybridFrame;
using V = HashTensorBench.Hashing.Cpu.Sha256dAvx512Generator;

namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// Emits the sha256d nonce search for sixteen nonces per zmm register (<see cref="Sha256dAvx512Generator"/>'s group)
/// and <paramref name="shaNiNonces"/> more with the SHA extensions (<see cref="Sha256dShaNiGenerator"/>'s rounds) in
/// one instruction stream: <c>sha256rnds2</c> runs on a unit of its own, which the AVX-512 code leaves idle.
/// </summary>
/// <remarks>
/// <para>The calling convention is the AVX-512 kernel's: <c>uint Search(byte* frame)</c>; for each group g below Groups
/// it hashes the nonces First + (16 + N)g + lane, lanes 0–15 in zmm registers and 16 … 15 + N with SHA-NI, writes the
/// mask of lanes whose hash's top word is at most Threshold to the frame's masks and returns the masks' OR.</para>
/// <para>Registers: legacy-encoded SHA instructions reach only xmm0–xmm15, and the AVX-512 group needs 27 registers.
/// So the group keeps its working variables in zmm1–zmm8, two scratch registers in zmm9 and zmm10 and its schedule in
/// zmm16–zmm31; the SHA-NI nonces run two at a time, interleaved, in the pairs xmm13–xmm14 and xmm11–xmm12, the next
/// two after them, with xmm0 (<c>sha256rnds2</c>'s implicit operand) as scratch; and zmm15 is the third scratch of
/// both, which each holds for a few instructions at a time. The SHA-NI instructions are spread evenly among the AVX-512
/// ones (<see cref="X64CodeGenerator.Weave"/>), keeping the two streams' uses of zmm15 apart, and the processor runs both at once.</para>
/// <para>Measured on Zen 5 (docs/results/2026-12-06-cpu-zen5-sha256d-hybrid.md): four SHA-NI nonces beside the sixteen
/// searched 1.12× as fast as the AVX-512 kernel alone; a fifth and sixth, a third pair of nonces after the first two,
/// made it slower than without them. With one register pair (one nonce after another) two gained 1.07× and three lost.</para>
/// </remarks>
internal sealed class Sha256dHybridGenerator(int shaNiNonces, bool windows) : X64CodeGenerator
{
    private const int SavedXmmCount = 10;

    /// <summary>The kernel for the running operating system's calling convention.</summary>
    public Sha256dHybridGenerator(int shaNiNonces)
        : this(shaNiNonces, OperatingSystem.IsWindows())
    {
    }

    public override string Name => $"sha256d-avx512-shani-x{shaNiNonces}{(windows ? "-windows" : "")}";

    public override int Lanes => Sha256dAvx512Frame.Lanes + shaNiNonces;

    protected override void Generate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shaNiNonces, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shaNiNonces, Sha256dShaNiFrame.MaxWays);
        var frame = V.Frame;
        Section("prologue");
        Asm.mov(frame, windows ? rcx : rdi);
        if (windows)
            KeepWindowsXmm(__xmmword_ptr[frame + F.SavedXmm], SavedXmmCount, restore: false, vex: true);
        Asm.xor(V.Group, V.Group);
        Asm.xor(V.Any, V.Any);

        var loop = Asm.CreateLabel();
        Asm.Label(ref loop);
        Section("the SHA-NI nonces' first");
        Asm.imul(Sha256dShaNiGenerator.Batch, V.Group, Lanes);
        Asm.add(Sha256dShaNiGenerator.Batch, __dword_ptr[frame + Sha256dAvx512Frame.First]);
        Asm.add(Sha256dShaNiGenerator.Batch, Sha256dAvx512Frame.Lanes);

        var vector = V.Embedded(Lanes);
        var vectorHashes = vector.Hashes();
        var shaNiHashes = Sha256dShaNiGenerator.Embedded(shaNiNonces, F.ShaNi, F.ShaNiLastWords).Hashes();
        // An empty section that says what the next ones hold: the AVX-512 group's, each with its share of SHA-NI.
        Section($"both hashes, woven: {vectorHashes.Instructions.Count} AVX-512 instructions for 16 nonces, " +
            $"{shaNiHashes.Instructions.Count} SHA-NI for {shaNiNonces}, under the AVX-512 group's sections");
        Weave(vectorHashes, shaNiHashes, V.SharedScratch);

        Section("report candidates");
        Emit(vector.CandidateLanes());
        for (int lane = 0; lane < shaNiNonces; lane++)
        {
            var next = Asm.CreateLabel();
            var word = __dword_ptr[frame + F.ShaNiLastWords + 4 * lane];
            Asm.mov(ecx, word);
            Asm.add(ecx, unchecked((int)Sha256dJob.InitialState[7]));
            Asm.mov(word, ecx);
            Asm.bswap(ecx);
            Asm.cmp(ecx, __dword_ptr[frame + Sha256dAvx512Frame.Threshold]);
            Asm.ja(next);
            Asm.or(V.Mask, 1 << (Sha256dAvx512Frame.Lanes + lane));
            Asm.Label(ref next);
        }
        Asm.mov(__dword_ptr[frame + V.Group64 * 4 + Sha256dAvx512Frame.Masks], V.Mask);
        Asm.or(V.Any, V.Mask);

        Section("loop");
        Asm.inc(V.Group);
        Asm.cmp(V.Group, __dword_ptr[frame + Sha256dAvx512Frame.Groups]);
        Asm.jb(loop);

        Section("epilogue");
        if (windows)
            KeepWindowsXmm(__xmmword_ptr[frame + F.SavedXmm], SavedXmmCount, restore: true, vex: true);
        Asm.vzeroupper();
        Asm.ret();
    }
}
