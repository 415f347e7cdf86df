using Iced.Intel;

namespace HashTensorBench.Platform.CodeGeneration;

/// <summary>
/// A kernel written as x86-64 machine code at run time, the way oneDNN's <c>jit_generator</c> does it with Xbyak:
/// a subclass names its registers once and emits its code in <see cref="Generate"/> through Iced's assembler,
/// marking the sections (rounds, loop control) whose instructions the disassembly counts.
/// </summary>
internal abstract class X64CodeGenerator
{
    private readonly List<CodeSection> _sections = [];
    private Assembler? _assembler;
    // The sections of what Capture is running, or null.
    private List<CodeSection>? _captured;

    /// <summary>The assembler <see cref="Generate"/> emits into.</summary>
    protected Assembler Asm => _assembler ?? throw new InvalidOperationException("Emit only from Generate.");

    /// <summary>The kernel's name, as the dumps call it.</summary>
    public abstract string Name { get; }

    /// <summary>How many independent items (nonces, rows) one pass of the code handles: the dump's per-lane column divides by it.</summary>
    public virtual int Lanes => 1;

    /// <summary>Emits the kernel.</summary>
    protected abstract void Generate();

    /// <summary>Starts a section at the next instruction.</summary>
    protected void Section(string name) => (_captured ?? _sections).Add(new CodeSection(name, Asm.Instructions.Count, 0));

    /// <summary>
    /// The instructions <paramref name="emit"/> emits, into an assembler of their own, with their sections, for another
    /// kernel to weave into its stream (<see cref="Weave"/>) or emit (<see cref="Emit"/>). They must not use labels.
    /// </summary>
    protected CapturedCode Capture(Action emit)
    {
        var saved = _assembler;
        _assembler = new Assembler(64);
        _captured = [];
        try
        {
            emit();
            return new CapturedCode([.. _assembler.Instructions], _captured);
        }
        finally
        {
            _assembler = saved;
            _captured = null;
        }
    }

    /// <summary>
    /// Stores xmm6 and the next <paramref name="count"/> − 1 registers, which Windows x64 leaves to the callee to keep,
    /// in 16-byte slots from <paramref name="slots"/>, or with <paramref name="restore"/> loads them back: VEX-encoded,
    /// or legacy-encoded (the slots then 16-byte aligned) in code that must also run without AVX.
    /// </summary>
    protected void KeepWindowsXmm(AssemblerMemoryOperand slots, int count, bool restore, bool vex)
    {
        for (int i = 0; i < count; i++)
        {
            var register = new AssemblerRegisterXMM(Register.XMM6 + i);
            var slot = slots + 16 * i;
            if (restore && vex) Asm.vmovdqu(register, slot);
            else if (restore) Asm.movdqa(register, slot);
            else if (vex) Asm.vmovdqu(slot, register);
            else Asm.movdqa(slot, register);
        }
    }

    /// <summary>Emits captured instructions as they are.</summary>
    protected void Emit(CapturedCode code)
    {
        foreach (var instruction in code.Instructions)
            Asm.AddInstruction(instruction);
    }

    /// <summary>
    /// Emits two instruction streams as one, each in its own order, <paramref name="spread"/>'s instructions evenly
    /// among <paramref name="main"/>'s, under <paramref name="main"/>'s sections. The streams must share no register
    /// they write but <paramref name="shared"/> (at any width), a scratch register that each holds only briefly: while
    /// one stream's value in it waits to be read, the other's instructions that would overwrite it wait. So any merge
    /// this makes computes what each stream does alone.
    /// </summary>
    protected void Weave(CapturedCode main, CapturedCode spread, Register shared)
    {
        IReadOnlyList<Instruction>[] streams = [main.Instructions, spread.Instructions];
        var writes = streams.Select(s => s.Select(i => Access(i, shared) == OpAccess.Write).ToArray()).ToArray();
        var live = streams.Select(s => Live(s, shared)).ToArray();
        var sections = main.Sections.ToDictionary(s => s.First, s => s.Name);
        int mainCount = streams[0].Count, spreadCount = streams[1].Count;
        int[] next = [0, 0];
        while (next[0] < mainCount || next[1] < spreadCount)
        {
            // Due: the spread stream when it is behind its share of what main has emitted.
            int due = next[1] < spreadCount && (next[0] == mainCount || (long)next[1] * mainCount < (long)next[0] * spreadCount) ? 1 : 0;
            int other = 1 - due;
            bool blocked = writes[due][next[due]] && next[other] < live[other].Length && live[other][next[other]];
            int take = blocked ? other : due;
            if (take == 0 && sections.TryGetValue(next[0], out string? name))
                Section(name);
            Asm.AddInstruction(streams[take][next[take]++]);
        }
    }

    // Per position of a stream: whether its value in the register waits to be read there (its next access reads it).
    private static bool[] Live(IReadOnlyList<Instruction> stream, Register register)
    {
        var live = new bool[stream.Count];
        bool waiting = false;
        for (int i = stream.Count - 1; i >= 0; i--)
        {
            var access = Access(stream[i], register);
            if (access != OpAccess.None)
                waiting = access != OpAccess.Write;
            live[i] = waiting;
        }
        return live;
    }

    // How an instruction uses a register at any width: None, Write (a new value, whatever was there), or another access that reads it.
    private static OpAccess Access(Instruction instruction, Register register)
    {
        var full = register.GetFullRegister();
        var access = OpAccess.None;
        foreach (var used in new InstructionInfoFactory().GetInfo(instruction).GetUsedRegisters())
        {
            if (used.Register.GetFullRegister() == full)
                access = access == OpAccess.None ? used.Access : OpAccess.ReadWrite;
        }
        return access;
    }

    /// <summary>
    /// Emits and encodes the kernel. The code is position-independent (relative branches, no data of its own), so
    /// its bytes depend only on the generator's inputs, not on where they are mapped.
    /// </summary>
    public GeneratedCode Assemble()
    {
        _assembler = new Assembler(64);
        _sections.Clear();
        Generate();
        var writer = new BufferWriter();
        _assembler.Assemble(writer, 0);
        int total = _assembler.Instructions.Count;
        var sections = _sections.Select((s, i) => s with { Count = (i + 1 < _sections.Count ? _sections[i + 1].First : total) - s.First }).ToArray();
        _assembler = null;
        return new GeneratedCode(Name, writer.Bytes.ToArray(), total, Lanes, sections);
    }

    private sealed class BufferWriter : CodeWriter
    {
        public List<byte> Bytes { get; } = [];

        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}

/// <summary>Instructions emitted apart (<see cref="X64CodeGenerator"/>'s Capture), with their sections, numbered from their first.</summary>
internal sealed record CapturedCode(IReadOnlyList<Instruction> Instructions, IReadOnlyList<CodeSection> Sections);

/// <summary>A named run of a generated kernel's instructions: <paramref name="Count"/> of them from index <paramref name="First"/>.</summary>
internal readonly record struct CodeSection(string Name, int First, int Count);
