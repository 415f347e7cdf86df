using System.CommandLine;
using HashTensorBench.Devices;
using HashTensorBench.Hashing.Cpu;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// <c>htb kernels [--ptx DIR [--arch sm_90] [--isa 7.8]] [--cpu DIR]</c>: the PTX of every CUDA kernel, without a GPU,
/// and the disassembly of every CPU kernel generated as machine code.
/// </summary>
internal static class KernelsCommand
{
    public static Command Create(TextWriter output)
    {
        var ptx = new Option<string>("--ptx") { Description = "The folder to write NAME.ptx files into." };
        ptx.Validators.Add(result => Options.CheckFolderNamed(result));
        var cpu = new Option<string>("--cpu") { Description = "The folder to write the generated CPU kernels' disassembly (NAME.asm) into." };
        cpu.Validators.Add(result => Options.CheckFolderNamed(result));
        var arch = new Option<string>("--arch")
        {
            Description = $"The GPU architecture, {PtxExport.Name(PtxExport.MinimumArchitecture)} or newer (the FP16 GEMM issues mma.sync).",
            DefaultValueFactory = _ => "sm_90",
        };
        var isa = new Option<string>("--isa")
        {
            Description = $"The PTX ISA version, {PtxExport.MinimumInstructionSet.Major}.{PtxExport.MinimumInstructionSet.Minor} or newer (7.8 is the newest CUDA 11.8's ptxas reads).",
            DefaultValueFactory = _ => "7.8",
        };
        arch.Validators.Add(result =>
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "sm_90";
            var known = PtxExport.Architectures.Select(PtxExport.Name).ToArray();
            var match = PtxExport.Architectures.FirstOrDefault(a => PtxExport.Name(a).Equals(text, StringComparison.OrdinalIgnoreCase));
            if (!known.Contains(text, StringComparer.OrdinalIgnoreCase))
                result.AddError($"--arch must be sm_ and a compute capability ILGPU knows, {PtxExport.Name(PtxExport.MinimumArchitecture)} to {known[^1]}, such as sm_90 (H100); got \"{text}\".");
            else if (match < PtxExport.MinimumArchitecture)
                result.AddError($"--arch: {PtxExport.Name(match)} has no tensor cores for the FP16 GEMM's mma.sync.aligned.m16n8k16; use {PtxExport.Name(PtxExport.MinimumArchitecture)} or newer.");
        });
        isa.Validators.Add(result =>
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "7.8";
            var known = PtxExport.InstructionSets.Where(i => i >= PtxExport.MinimumInstructionSet).Select(i => $"{i.Major}.{i.Minor}").ToArray();
            if (!known.Contains(text))
                result.AddError($"--isa must be a PTX ISA version ILGPU knows with FP16 mma.sync ({known[0]} to {known[^1]}); got \"{text}\".");
        });
        var command = new Command("kernels",
            "Write the PTX of every CUDA kernel (compiled by ILGPU; no GPU needed) and the disassembly of the CPU kernels generated as machine code.")
        {
            ptx, arch, isa, cpu,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(ptx) is null && result.GetResult(cpu) is null)
                result.AddError("Name a folder with --ptx (CUDA kernels' PTX), --cpu (generated CPU kernels' disassembly) or both.");
        });
        command.SetAction(result =>
        {
            if (result.GetValue(ptx) is { } ptxFolder)
                Write(output, ptxFolder, () => PtxExport.WritePtx(ptxFolder, result.GetValue(arch)!, result.GetValue(isa)!));
            if (result.GetValue(cpu) is { } cpuFolder)
                Write(output, cpuFolder, () => CpuSha256dKernels.WriteGeneratedCode(cpuFolder));
            return 0;
        });
        return command;
    }

    private static void Write(TextWriter output, string folder, Func<IReadOnlyList<string>> write)
    {
        try
        {
            foreach (string file in write())
                output.WriteLine(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"Cannot write to {folder}: {ex.Message}", ex);
        }
    }
}
