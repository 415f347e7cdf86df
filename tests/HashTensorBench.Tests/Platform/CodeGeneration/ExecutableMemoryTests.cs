using System.Globalization;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Platform.CodeGeneration;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace HashTensorBench.Tests.Platform.CodeGeneration;

public class ExecutableMemoryTests
{
    [SkippableFact]
    public unsafe void Mapped_code_runs()
    {
        SkipUnlessMapped();
        Assert.True(ExecutableMemory.TryMap(Answer(), out nint address, out string? reason), reason);
        Assert.Equal(42, ((delegate* unmanaged<int>)address)());
    }

    [SkippableFact]
    public void Mapped_code_is_never_writable_and_executable_at_once()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads Linux's /proc/self/maps");
        SkipUnlessMapped();
        // The kernels' own code, as the searches map it, and a small function.
        foreach (var code in new[] { Sha256dShaNiKernel.Generate().Bytes.ToArray(), Sha256dAvx512Kernel.Generate().Bytes.ToArray(), Sha256dHybridKernel.Generate().Bytes.ToArray(), Answer() })
        {
            Assert.True(ExecutableMemory.TryMap(code, out nint address, out string? reason), reason);
            string permissions = MappingOf(address);
            Assert.Equal("r-xp", permissions);
        }
    }

    private static void SkipUnlessMapped() =>
        Skip.IfNot(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64
            && (OperatingSystem.IsLinux() || OperatingSystem.IsWindows()), "generated code is x86-64, mapped on Linux and Windows");

    // mov eax, 42; ret
    private static byte[] Answer()
    {
        var asm = new Assembler(64);
        asm.mov(eax, 42);
        asm.ret();
        var writer = new Writer();
        asm.Assemble(writer, 0);
        return [.. writer.Bytes];
    }

    // The permissions of the /proc/self/maps line whose range holds the address.
    private static string MappingOf(nint address)
    {
        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            string[] fields = line.Split(' ', 3);
            string[] range = fields[0].Split('-');
            ulong start = ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            ulong end = ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if ((ulong)address >= start && (ulong)address < end)
                return fields[1];
        }
        throw new InvalidOperationException($"No mapping holds 0x{address:x}.");
    }

    private sealed class Writer : CodeWriter
    {
        public List<byte> Bytes { get; } = [];

        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}
