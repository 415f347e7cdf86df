using System.Globalization;
using System.Text;
using Iced.Intel;

namespace HashTensorBench.Platform.CodeGeneration;

/// <summary>A kernel's machine code as <see cref="X64CodeGenerator"/> emitted it, with its sections.</summary>
internal sealed class GeneratedCode(string name, byte[] bytes, int instructions, int lanes, IReadOnlyList<CodeSection> sections)
{
    /// <summary>The kernel's name.</summary>
    public string Name { get; } = name;

    /// <summary>The encoded instructions.</summary>
    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    /// <summary>How many instructions the code has.</summary>
    public int Instructions { get; } = instructions;

    /// <summary>How many independent items one pass of the code handles.</summary>
    public int Lanes { get; } = lanes;

    /// <summary>The named runs of instructions, in order.</summary>
    public IReadOnlyList<CodeSection> Sections { get; } = sections;

    /// <summary>The disassembly (Iced's decoder and NASM formatter): a table of each section's instruction count, then every instruction under its section.</summary>
    public string Disassembly()
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"; {Name}: {Bytes.Length} bytes, {Instructions} instructions, {Lanes} lane(s) per pass");
        text.AppendLine("; instructions  per lane  section");
        foreach (var section in Sections)
            text.AppendLine(culture, $"; {section.Count,12}  {(double)section.Count / Lanes,8:0.##}  {section.Name}");

        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(Bytes.ToArray()));
        var formatter = new NasmFormatter();
        formatter.Options.FirstOperandCharIndex = 12;
        var output = new StringOutput();
        int index = 0, next = 0;
        while (decoder.IP < (ulong)Bytes.Length)
        {
            decoder.Decode(out var instruction);
            if (next < Sections.Count && Sections[next].First == index)
            {
                text.AppendLine();
                text.AppendLine(culture, $"; {Sections[next].Name} ({Sections[next].Count} instructions)");
                next++;
            }
            formatter.Format(instruction, output);
            text.AppendLine(culture, $"{instruction.IP:X5}  {output.ToStringAndReset()}");
            index++;
        }
        return text.ToString();
    }
}
