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

    /// <summary>The assembler <see cref="Generate"/> emits into.</summary>
    protected Assembler Asm => _assembler ?? throw new InvalidOperationException("Emit only from Generate.");

    /// <summary>The kernel's name, as the dumps call it.</summary>
    public abstract string Name { get; }

    /// <summary>How many independent items (nonces, rows) one pass of the code handles: the dump's per-lane column divides by it.</summary>
    public virtual int Lanes => 1;

    /// <summary>Emits the kernel.</summary>
    protected abstract void Generate();

    /// <summary>Starts a section at the next instruction.</summary>
    protected void Section(string name) => _sections.Add(new CodeSection(name, Asm.Instructions.Count, 0));

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

/// <summary>A named run of a generated kernel's instructions: <paramref name="Count"/> of them from index <paramref name="First"/>.</summary>
internal readonly record struct CodeSection(string Name, int First, int Count);
