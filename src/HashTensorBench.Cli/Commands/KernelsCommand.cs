using System.CommandLine;
using HashTensorBench.Devices;
namespace HashTensorBench.Cli.Commands;

/// <summary><c>htb kernels --ptx DIR [--arch sm_90] [--isa 7.8]</c>: the PTX of every CUDA kernel, without a GPU.</summary>
internal static class KernelsCommand
{
    public static Command Create(TextWriter output)
    {
        var ptx = new Option<string>("--ptx") { Description = "The folder to write NAME.ptx files into.", Required = true };
        ptx.Validators.Add(result => Options.CheckFolderNamed(result));
        var arch = new Option<string>("--arch")
        {
            Description = $"The GPU architecture, {GpuKernels.Name(GpuKernels.MinimumArchitecture)} or newer (the FP16 GEMM issues mma.sync).",
            DefaultValueFactory = _ => "sm_90",
        };
        var isa = new Option<string>("--isa")
        {
            Description = $"The PTX ISA version, {GpuKernels.MinimumInstructionSet.Major}.{GpuKernels.MinimumInstructionSet.Minor} or newer (7.8 is the newest CUDA 11.8's ptxas reads).",
            DefaultValueFactory = _ => "7.8",
        };
        arch.Validators.Add(result =>
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "sm_90";
            var known = GpuKernels.Architectures.Select(GpuKernels.Name).ToArray();
            var match = GpuKernels.Architectures.FirstOrDefault(a => GpuKernels.Name(a).Equals(text, StringComparison.OrdinalIgnoreCase));
            if (!known.Contains(text, StringComparer.OrdinalIgnoreCase))
                result.AddError($"--arch must be sm_ and a compute capability ILGPU knows, {GpuKernels.Name(GpuKernels.MinimumArchitecture)} to {known[^1]}, such as sm_90 (H100); got \"{text}\".");
            else if (match < GpuKernels.MinimumArchitecture)
                result.AddError($"--arch: {GpuKernels.Name(match)} has no tensor cores for the FP16 GEMM's mma.sync.aligned.m16n8k16; use {GpuKernels.Name(GpuKernels.MinimumArchitecture)} or newer.");
        });
        isa.Validators.Add(result =>
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "7.8";
            var known = GpuKernels.InstructionSets.Where(i => i >= GpuKernels.MinimumInstructionSet).Select(i => $"{i.Major}.{i.Minor}").ToArray();
            if (!known.Contains(text))
                result.AddError($"--isa must be a PTX ISA version ILGPU knows with FP16 mma.sync ({known[0]} to {known[^1]}); got \"{text}\".");
        });
        var command = new Command("kernels", "Write the PTX of every CUDA kernel (compiled by ILGPU; no GPU needed).") { ptx, arch, isa };
        command.SetAction(result =>
        {
            try
            {
                foreach (string file in GpuKernels.WritePtx(result.GetValue(ptx)!, result.GetValue(arch)!, result.GetValue(isa)!))
                    output.WriteLine(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"Cannot write to {result.GetValue(ptx)}: {ex.Message}", ex);
            }
            return 0;
        });
        return command;
    }
}
