using System.CommandLine;
using HashTensorBench.Gpu;

namespace HashTensorBench.Cli.Commands;

/// <summary><c>htb kernels --ptx DIR [--arch sm_90] [--isa 7.8]</c>: the PTX of every CUDA kernel, without a GPU.</summary>
internal static class KernelsCommand
{
    public static Command Create(TextWriter output)
    {
        var ptx = new Option<string>("--ptx") { Description = "The folder to write NAME.ptx files into.", Required = true };
        var arch = new Option<string>("--arch") { Description = "The GPU architecture.", DefaultValueFactory = _ => "sm_90" };
        var isa = new Option<string>("--isa") { Description = "The PTX ISA version (7.8 is the newest CUDA 11.8's ptxas reads).", DefaultValueFactory = _ => "7.8" };
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
