using System.Text.Json;
using HashTensorBench.Devices;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors.Cpu;

namespace HashTensorBench.Tests.Cli;

/// <summary><c>htb devices --json</c> and <c>htb bench</c>: every device, as a list and as one table of brief measurements.</summary>
public class DevicesAndBenchCommandTests
{
    [Fact]
    public void Devices_json_lists_the_cpu_and_every_cuda_device_with_kernels_memory_and_energy_or_why_not()
    {
        var run = CliRun.Of("devices", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        var devices = json.RootElement.GetProperty("devices").EnumerateArray().ToArray();
        var discovery = CudaDiscovery.Current;
        Assert.Equal(["cpu", .. discovery.Devices.Select(d => d.Id)], devices.Select(d => d.GetProperty("id").GetString()));
        Assert.Equal(["cpu", .. discovery.Devices.Select(_ => "cuda")], devices.Select(d => d.GetProperty("kind").GetString()));

        var cpu = devices[0];
        Assert.Equal(CpuDevice.Name, cpu.GetProperty("name").GetString());
        Assert.True(cpu.GetProperty("memory_bytes").GetInt64() > 0);
        var kernels = cpu.GetProperty("kernels");
        Assert.False(string.IsNullOrEmpty(kernels.GetProperty("sha256d").GetString()));
        foreach (var type in CpuMatrixMultiplier.SupportedElementTypes)
            Assert.Equal(CpuGemmKernels.Default.ToString().ToLowerInvariant(), kernels.GetProperty($"gemm_{type.Name}").GetString());
        // Energy: its source, and the reason exactly when it cannot be read.
        var energy = cpu.GetProperty("energy");
        Assert.Equal(energy.GetProperty("available").GetBoolean(), !energy.TryGetProperty("reason", out _));

        var cudaUnavailable = json.RootElement.GetProperty("cuda_unavailable");
        if (discovery.Devices.Count == 0)
            Assert.Equal(discovery.Reason, cudaUnavailable.GetString());
        else
            Assert.Equal(JsonValueKind.Null, cudaUnavailable.ValueKind);
        foreach (var (gpu, listed) in discovery.Devices.Zip(devices.Skip(1)))
        {
            Assert.Equal(gpu.MemoryBytes, listed.GetProperty("memory_bytes").GetInt64());
            Assert.Equal(gpu.PciBusId, listed.GetProperty("cuda").GetProperty("pci_bus_id").GetString());
        }
    }

    [Fact]
    public void Bench_prints_one_table_of_sha256d_and_every_gemm_type_on_the_named_devices()
    {
        var run = CliRun.Of("bench", "--devices", "cpu", "--seconds", "1", "--size", "32");
        Assert.True(run.ExitCode == 0, run.Error);
        using var device = ComputeDevice.Open(DeviceId.Cpu);
        string[] workloads = ["sha256d", .. device.ElementTypes.Select(t => $"gemm {t.Name} 32x32x32")];
        var rows = run.Output.Split('\n').Where(line => line.Contains($"cpu {CpuDevice.Name}", StringComparison.Ordinal)).ToArray();
        Assert.Equal(workloads.Length, rows.Length);
        foreach (var (workload, row) in workloads.Zip(rows))
        {
            Assert.Contains($" {workload} ", row, StringComparison.Ordinal);
            // A measured rate in its unit on every row, never a failure.
            Assert.Matches(workload == "sha256d" ? @"\d\.\d\d \w?H/s" : @"\d\.\d\d \w?(FLOP|OP)/s", row);
            Assert.DoesNotContain("unavailable:", row, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("cuda:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_refuses_a_device_that_is_not_one()
    {
        CliRun.Of("bench", "--devices", "tpu", "--seconds", "1").AssertUsageError("Unknown device \"tpu\"");
    }
}
