using HashTensorBench.Cli;
using HashTensorBench.Devices;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tests.Cli;

namespace HashTensorBench.Tests.Devices;

public class DeviceIdTests
{
    private const string Genesis =
        "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";

    [Theory]
    [InlineData("cpu", DeviceKind.Cpu, 0, "cpu")]
    [InlineData(" CPU ", DeviceKind.Cpu, 0, "cpu")]
    [InlineData("gpu", DeviceKind.EveryGpu, 0, "gpu")]
    [InlineData("GPU", DeviceKind.EveryGpu, 0, "gpu")]
    [InlineData("cuda:0", DeviceKind.Cuda, 0, "cuda:0")]
    [InlineData("CUDA:12", DeviceKind.Cuda, 12, "cuda:12")]
    [InlineData("ilgpu-cpu", DeviceKind.IlgpuCpu, 0, "ilgpu-cpu")]
    [InlineData("ILGPU-CPU", DeviceKind.IlgpuCpu, 0, "ilgpu-cpu")]
    public void Names_parse_case_insensitively_and_print_back_in_one_form(string text, DeviceKind kind, int index, string printed)
    {
        var id = DeviceId.Parse(text);
        Assert.Equal(new DeviceId(kind, index), id);
        Assert.Equal(printed, id.ToString());
        Assert.Equal(id, DeviceId.Parse(id.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("tpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:1.5")]
    [InlineData("gpu:0")]
    [InlineData("cuda 0")]
    public void Anything_else_is_refused_with_the_list_of_names(string text)
    {
        Assert.False(DeviceId.TryParse(text, out _));
        var ex = Assert.Throws<ArgumentException>(() => DeviceId.Parse(text));
        Assert.Contains("cpu, cuda:N, gpu", ex.Message);
    }

    [Fact]
    public void Gpu_expands_to_every_cuda_device_or_the_cpu_with_a_reason()
    {
        var discovery = CudaDiscovery.Current;
        string? notice = null;
        var devices = DeviceId.EveryGpu.Expand(n => notice = n);
        if (discovery.Devices.Count == 0)
        {
            Assert.Equal([DeviceId.Cpu], devices);
            Assert.StartsWith("no CUDA device: ", notice);
        }
        else
        {
            Assert.Equal(discovery.Devices.Select(d => DeviceId.Cuda(d.Index)), devices);
            Assert.Null(notice);
        }
        Assert.Equal([DeviceId.Cuda(3)], DeviceId.Cuda(3).Expand());
    }

    // Every command that takes a device reads it the same way: upper case, gpu with its fallback, a missing cuda:N.
    public static TheoryData<string[]> Commands => new()
    {
        { ["search", "--header", Genesis, "--bits", "1d00ffff", "--start", "2083236893", "--count", "1"] },
        { ["hashrate", "--seconds", "1"] },
        { ["gemm", "--m", "8", "--n", "8", "--k", "8"] },
    };

    [SkippableTheory]
    [MemberData(nameof(Commands))]
    public void Every_command_reads_gpu_and_upper_case_names_alike_and_a_missing_cuda_device_is_exit_3(string[] command)
    {
        Skip.If(CudaDiscovery.Current.Devices.Count > 0, "This machine has a CUDA device: gpu does not fall back here.");
        var gpu = CliRun.Of([.. command, "--device", "GPU"]);
        Assert.True(gpu.ExitCode == 0, gpu.Error);
        Assert.Contains("no CUDA device", gpu.Error);
        Assert.Contains("instead", gpu.Error);

        var cpu = CliRun.Of([.. command, "--device", "CPU"]);
        Assert.True(cpu.ExitCode == 0, cpu.Error);

        var missing = CliRun.Of([.. command, "--device", "CUDA:0"]);
        Assert.Equal(HtbApp.DeviceError, missing.ExitCode);
        Assert.Contains("htb: cuda:0: no CUDA device", missing.Error);
        Assert.DoesNotContain("   at ", missing.Error);
    }

    [SkippableFact]
    public void Verify_of_a_missing_gpu_is_one_line_and_exit_3_never_a_check_of_the_cpu()
    {
        Skip.If(CudaDiscovery.Current.Devices.Count > 0, "This machine has a CUDA device.");
        var ex = Assert.Throws<GpuException>(() => DeviceId.EveryGpu.ExpandPresent());
        Assert.StartsWith("gpu: no CUDA device: ", ex.Message);
        Assert.Throws<GpuException>(() => DeviceId.Cuda(0).ExpandPresent());
        Assert.Equal([DeviceId.Cpu], DeviceId.Cpu.ExpandPresent());

        foreach (string device in new[] { "gpu", "cuda:0" })
        {
            var run = CliRun.Of("verify", "--device", device, "--sample", "3");
            Assert.Equal(HtbApp.DeviceError, run.ExitCode);
            Assert.Equal("", run.Output);
            Assert.StartsWith($"htb: {device}: no CUDA device: ", run.Error);
            Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [SkippableFact]
    public void Compare_of_a_missing_cuda_device_is_exit_3()
    {
        Skip.If(CudaDiscovery.Current.Devices.Count > 0, "This machine has a CUDA device.");
        string folder = Path.Combine(Path.GetTempPath(), "htb-devices-" + Guid.NewGuid().ToString("N"));
        var run = CliRun.Of("compare", "--quick", "--devices", "cuda:0", "--output", folder);
        Assert.Equal(HtbApp.DeviceError, run.ExitCode);
        Assert.Equal("htb: cuda:0: no such device here; found cpu.", run.Error.Trim());
        Assert.False(Directory.Exists(folder));
    }

    [SkippableFact]
    public void Compare_reads_gpu_in_its_device_list_too()
    {
        Skip.If(CudaDiscovery.Current.Devices.Count > 0, "This machine has a CUDA device: gpu does not fall back here.");
        string folder = Path.Combine(Path.GetTempPath(), "htb-devices-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = CliRun.Of("compare", "--quick", "--devices", "GPU", "--output", folder);
            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Contains("measuring cpu", run.Output);
            Assert.Contains("no CUDA device", run.Error);
            CliRun.Of("compare", "--quick", "--devices", "tpu", "--output", folder + "-x").AssertUsageError("--devices: Unknown device \"tpu\"");
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }
}
