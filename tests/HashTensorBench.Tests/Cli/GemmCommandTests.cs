using System.Globalization;
using System.Text.Json;
using HashTensorBench.Cli;
using HashTensorBench.Devices;

namespace HashTensorBench.Tests.Cli;

/// <summary><c>htb gemm</c>: a small product end to end, and bad input as one line and a usage exit code.</summary>
public class GemmCommandTests
{
    private static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await HtbApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Prints_speed_and_error_as_text()
    {
        var (exit, output, error) = await Run("gemm", "--m", "37", "--n", "45", "--k", "29", "--threads", "2");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("shape   M=37 N=45 K=29, fp32 inputs", output, StringComparison.Ordinal);
        Assert.Contains("TFLOP/s", output, StringComparison.Ordinal);
        Assert.Contains("over 256 sampled entries", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prints_one_json_object_with_a_small_error()
    {
        var (exit, output, _) = await Run("gemm", "--m", "20", "--n", "33", "--k", "70", "--dtype", "fp16", "--json");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.StartsWith("cpu/", root.GetProperty("device").GetString(), StringComparison.Ordinal);
        Assert.Equal((20, 33, 70, "fp16"), (root.GetProperty("m").GetInt32(), root.GetProperty("n").GetInt32(),
            root.GetProperty("k").GetInt32(), root.GetProperty("dtype").GetString()));
        Assert.Equal(2L * 20 * 33 * 70, root.GetProperty("flop").GetInt64());
        Assert.True(root.GetProperty("tflops").GetDouble() > 0);
        // C has 660 entries, more than the 256 sampled.
        Assert.Equal(256, root.GetProperty("sampled_entries").GetInt32());
        // FP32 rounding over K = 70 terms: at most about 70·2^-24 ≈ 4e-6 of Σ|a·b|; a wrong entry gives about 1.
        Assert.InRange(root.GetProperty("max_relative_error").GetDouble(), 0, 70 * Math.ScaleB(1, -24));
    }

    [Fact]
    public async Task Seed_chooses_the_inputs_the_same_seed_the_same_product()
    {
        // The error against the reference depends on the values multiplied: one seed gives the same bits, another seed others.
        async Task<(double Absolute, double Relative)> Errors(params string[] seed)
        {
            var (exit, output, error) = await Run(["gemm", "--m", "20", "--n", "33", "--k", "70", "--threads", "1", "--json", .. seed]);
            Assert.True(exit == 0, error);
            using var json = JsonDocument.Parse(output);
            return (json.RootElement.GetProperty("max_absolute_error").GetDouble(), json.RootElement.GetProperty("max_relative_error").GetDouble());
        }
        var five = await Errors("--seed", "5");
        Assert.Equal(five, await Errors("--seed", "5"));
        Assert.NotEqual(five, await Errors("--seed", "6"));
        // The default is seed 1.
        Assert.Equal(await Errors("--seed", "1"), await Errors());
        Assert.NotEqual(five, await Errors());
    }

    [Theory]
    [InlineData("--m 0 --n 4 --k 4", "htb: --m must be a whole number from 1 to 2147483647; got \"0\".")]
    [InlineData("--m 4 --n 4 --k 4 --dtype fp8", "htb: --dtype must be fp32 or fp16 or bf16 or int8; got \"fp8\".")]
    // gpu is a device for gemm too since one parser reads every command's --device (DeviceIdTests); a typo is not.
    [InlineData("--m 4 --n 4 --k 4 --device gpu0", "htb: --device: Unknown device \"gpu0\"; expected " + DeviceId.Names + ".")]
    public async Task A_bad_option_is_one_line_and_a_usage_error(string args, string line)
    {
        var (exit, output, error) = await Run(["gemm", .. args.Split(' ')]);
        Assert.Equal(HtbApp.UsageError, exit);
        Assert.Equal("", output);
        // The parser's line, then HtbApp's pointer to --help.
        Assert.Equal([line, "Run 'htb --help' for usage."], error.TrimEnd().Split('\n'));
    }

    [Theory]
    // BF16: (3K + 2)·2⁻²⁴ of Σ|a·b| at K = 70. INT8, exact, across several K slices of the CPU kernels.
    [InlineData("bf16", 70, "fp32", 212 / 16777216.0)]
    [InlineData("int8", 1500, "int32", 0.0)]
    public async Task Each_type_is_checked_against_its_own_bound_on_the_cpu(string dtype, int k, string accumulator, double bound)
    {
        var (exit, output, _) = await Run("gemm", "--m", "20", "--n", "33", "--k", k.ToString(CultureInfo.InvariantCulture), "--dtype", dtype, "--json");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal((dtype, accumulator, true), (root.GetProperty("dtype").GetString(), root.GetProperty("accumulator").GetString(),
            root.GetProperty("within_bound").GetBoolean()));
        Assert.Equal(bound, root.GetProperty("error_bound").GetDouble());
        if (bound == 0)
            Assert.Equal(0.0, root.GetProperty("max_absolute_error").GetDouble());
    }

    [Fact]
    public async Task A_shape_the_library_rejects_is_one_line_without_a_stack_trace()
    {
        var (exit, output, error) = await Run("gemm", "--m", "100000", "--n", "100000", "--k", "1");
        Assert.Equal(HtbApp.UsageError, exit);
        Assert.Equal("", output);
        Assert.Equal("htb: --n: C would have M×N = 100000×100000 = 10000000000 elements, more than an array can hold (2147483591).", error.TrimEnd());
        Assert.DoesNotContain("\n", error.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_the_gpu_kernels_on_ilgpus_cpu_accelerator()
    {
        // FP32: the tensor-core kernels' emulation takes seconds a product, and this times products for over a second
        // (TensorGemmKernelTests and IlgpuMatrixMultiplierTests check those through the same multiplier).
        var (exit, output, error) = await Run("gemm", "--m", "40", "--n", "70", "--k", "33", "--dtype", "fp32", "--device", "ilgpu-cpu", "--json");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("ilgpu-cpu", json.RootElement.GetProperty("device").GetString());
        Assert.Equal("simt", json.RootElement.GetProperty("gpu_kernel").GetString());
        // The same FP32 rounding bound as on the CPU: K = 33 terms.
        Assert.InRange(json.RootElement.GetProperty("max_relative_error").GetDouble(), 0, 33 * Math.ScaleB(1, -24));
        // A device reports the kernel alone beside the product with copies.
        Assert.True(json.RootElement.GetProperty("kernel_tflops").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("kernel_seconds").GetDouble() > 0);
    }

    [Fact]
    public async Task A_missing_cuda_device_is_one_line_and_a_device_error()
    {
        var (exit, output, error) = await Run("gemm", "--m", "4", "--n", "4", "--k", "4", "--device", "cuda:99");
        Assert.Equal(HtbApp.DeviceError, exit);
        Assert.Equal("", output);
        Assert.StartsWith("htb: cuda:99: no ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.TrimEnd(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_busy_machine_is_warned_of_as_hashrate_warns_of_it()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists("/proc/stat"), "the load is read from Linux's /proc.");
        // Another process keeps a core busy for the whole run: yes writing to /dev/null.
        using var busy = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", "exec yes > /dev/null"]))!;
        try
        {
            var (exit, output, _) = await Run("gemm", "--m", "64", "--n", "64", "--k", "64", "--device", "cpu", "--json");
            Assert.Equal(0, exit);
            using var json = JsonDocument.Parse(output);
            var warnings = json.RootElement.GetProperty("rate").GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToArray();
            Assert.Contains(warnings, w => w.StartsWith("other processes kept ", StringComparison.Ordinal));
        }
        finally
        {
            busy.Kill();
            await busy.WaitForExitAsync();
        }
    }
}
