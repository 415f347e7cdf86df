using HashTensorBench.Platform.CodeGeneration;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HashTensorBench.Tests.Platform.CodeGeneration;

/// <summary>
/// <see cref="X64CodeGenerator"/>'s weave of two instruction streams into one, as the hybrid sha256d kernel uses it:
/// each stream keeps its order and its sections, and the register both use as scratch is never overwritten by one
/// while the other's value there waits to be read.
/// </summary>
public class WeaveTests
{
    [Fact]
    public void Each_streams_order_is_kept_and_the_shared_register_is_never_overwritten_before_its_read()
    {
        var code = new TwoStreams().Assemble();
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code.Bytes.ToArray()));
        var woven = new List<Instruction>();
        while (decoder.IP < (ulong)code.Bytes.Length)
            woven.Add(decoder.Decode());

        // The main stream is the zmm one, the spread one xmm: each comes out in its own order.
        var main = woven.Where(i => i.Op0Register.IsZMM()).Select(i => i.ToString()).ToList();
        var spread = woven.Where(i => i.Op0Register.IsXMM()).Select(i => i.ToString()).ToList();
        Assert.Equal(TwoStreams.Main.Count, main.Count);
        Assert.Equal(TwoStreams.Spread.Count, spread.Count);
        Assert.Equal(Format(TwoStreams.Main), main);
        Assert.Equal(Format(TwoStreams.Spread), spread);

        // Whoever last wrote zmm15 (at any width) is whoever reads it next.
        bool? mainOwns = null;
        foreach (var instruction in woven)
        {
            bool isMain = instruction.Op0Register.IsZMM();
            bool reads = Enumerable.Range(1, instruction.OpCount - 1).Any(op => instruction.GetOpRegister(op).GetFullRegister() == Register.ZMM15);
            bool writes = instruction.Op0Register.GetFullRegister() == Register.ZMM15;
            if (reads)
                Assert.Equal(isMain, mainOwns);
            if (writes)
                mainOwns = isMain;
        }

        // Spread evenly: the spread stream has started well before the main one's middle, and its sections are kept.
        Assert.True(woven.FindIndex(i => i.Op0Register.IsXMM()) < woven.Count / 4);
        Assert.Equal(["main, first half", "main, second half"], code.Sections.Select(s => s.Name));
        Assert.Equal(TwoStreams.Main.Count / 2, woven.Take(code.Sections[1].First).Count(i => i.Op0Register.IsZMM()));
    }

    private static List<string> Format(IEnumerable<Action<Assembler>> stream)
    {
        var assembler = new Assembler(64);
        foreach (var emit in stream)
            emit(assembler);
        return [.. assembler.Instructions.Select(i => i.ToString())];
    }

    // A stream that computes into zmm15 and reads it back at once, and one that holds xmm15 over three instructions.
    private sealed class TwoStreams : X64CodeGenerator
    {
        public static List<Action<Assembler>> Main { get; } =
        [
            .. Enumerable.Range(0, 12).SelectMany(i => new Action<Assembler>[]
            {
                a => a.vprord(zmm15, zmm1, (byte)(i + 1)),
                a => a.vpaddd(zmm2, zmm2, zmm15),
                a => a.vpaddd(zmm3, zmm3, zmm4),
                a => a.vpaddd(zmm5, zmm5, zmm4),
            }),
        ];

        public static List<Action<Assembler>> Spread { get; } =
        [
            .. Enumerable.Range(0, 10).SelectMany(i => new Action<Assembler>[]
            {
                a => a.vmovdqa(xmm15, xmm4),
                a => a.vpaddd(xmm15, xmm15, xmm5),
                a => a.vpaddd(xmm6, xmm6, xmm15),
            }),
        ];

        public override string Name => "weave";

        protected override void Generate()
        {
            var main = Capture(() =>
            {
                for (int i = 0; i < Main.Count; i++)
                {
                    if (i % (Main.Count / 2) == 0)
                        Section(i == 0 ? "main, first half" : "main, second half");
                    Main[i](Asm);
                }
            });
            var spread = Capture(() => Spread.ForEach(emit => emit(Asm)));
            Weave(main, spread, Register.ZMM15);
        }
    }
}
