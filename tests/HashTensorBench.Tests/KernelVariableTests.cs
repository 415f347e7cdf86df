using HashTensorBench.Tensors;
using HashTensorBench.Tensors.Cuda;
using HashTensorBench.Tests.TestData;

namespace HashTensorBench.Tests;

/// <summary>The variables that force a kernel refuse a name that is no kernel's, listing the names, rather than run the default.</summary>
public class KernelVariableTests
{
    [Fact]
    public void A_gpu_gemm_kernel_name_is_checked_against_every_kernels_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => GpuGemmKernels.For(GemmElementType.Fp16, "mma-simpel"));
        Assert.StartsWith("Unknown GPU GEMM kernel \"mma-simpel\"; expected one of: simt, tc-pipelined, mma-simple.", ex.Message);
        Assert.Equal("mma-simple", GpuGemmKernels.For(GemmElementType.Fp16, " MMA-SIMPLE ")!.Name);
        // A real name that a type lacks leaves that type on its default.
        Assert.Equal("simt", GpuGemmKernels.For(GemmElementType.Fp32, "mma-simple")!.Name);
    }

    // In a process of its own: a bad value in this one would break every test running beside it.
    [Theory]
    [InlineData("HTB_GPU_GEMM_KERNEL", "mma-simpel", "HTB_GPU_GEMM_KERNEL: Unknown GPU GEMM kernel \"mma-simpel\"; expected one of: simt, tc-pipelined, mma-simple.",
        "gemm", "--device", "ilgpu-cpu", "--m", "8", "--n", "8", "--k", "8")]
    [InlineData("HTB_CPU_KERNEL", "avx3", "HTB_CPU_KERNEL: Unknown CPU kernel \"avx3\"; expected one of: scalar, avx2, avx512, shani, avx512gen, avx512sha.",
        "search", "--header", "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c",
        "--bits", "1d00ffff", "--count", "10")]
    public void A_misspelt_variable_is_one_line_naming_it_and_exit_2(string variable, string value, string expected, params string[] args)
    {
        var run = Repository.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "htb.dll"), .. args], TimeSpan.FromSeconds(120),
            new Dictionary<string, string> { [variable] = value });
        Assert.True(run.ExitCode == 2, run.Output + run.Error);
        Assert.Equal($"htb: {expected}", run.Error.Trim());
    }
}
