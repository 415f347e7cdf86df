using System.Text.RegularExpressions;
using HashTensorBench.Bitcoin;
using HashTensorBench.Devices;
using HashTensorBench.Hashing;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors;
using HashTensorBench.Tests.Cli;
using HashTensorBench.Tests.Tensors;
using HashTensorBench.Tests.TestData;

namespace HashTensorBench.Tests.Devices;

/// <summary>A device is opened once: its searcher, multiplier and meter come from it, and the driver is asked once a process.</summary>
public partial class ComputeDeviceTests
{
    private const string GenesisHex =
        "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";

    [Fact]
    public void The_driver_is_asked_for_its_devices_once_a_process_across_devices_meters_and_commands()
    {
        foreach (var id in new[] { DeviceId.Cpu, DeviceId.IlgpuCpu })
        {
            using var device = ComputeDevice.Open(id);
            using var searcher = device.CreateSearcher(cpuThreads: 1);
            using var multiplier = device.CreateMultiplier(cpuThreads: 1);
            using var meter = device.OpenEnergyMeter();
        }
        using (var all = ComputeDevices.OpenAll())
        using (var gpus = ComputeDevices.Open(DeviceId.EveryGpu))
        {
            foreach (var device in all.Concat(gpus))
                using (device.OpenEnergyMeter()) { }
        }
        Assert.Equal(0, CliRun.Of("devices").ExitCode);
        Assert.Equal(0, CliRun.Of("devices", "--json").ExitCode);
        Assert.Equal(0, CliRun.Of("search", "--header", GenesisHex, "--bits", "1d00ffff", "--start", "2083236800", "--count", "100", "--device", "gpu").ExitCode);
        Assert.Equal(0, CliRun.Of("verify", "--device", "cpu", "--sample", "1").ExitCode);

        Assert.Equal(1, CudaDiscovery.Discoveries);
    }

    [Fact]
    public void One_opened_ilgpu_device_hands_out_a_searcher_and_a_multiplier_that_share_it_and_leave_it_open()
    {
        using var device = ComputeDevice.Open(DeviceId.IlgpuCpu);
        var genesis = KnownHeaders.Genesis;
        var range = new NonceRange(genesis.Header.Nonce - 50, 100);
        using (var searcher = device.CreateSearcher())
            Assert.Equal(genesis.Hash, Assert.Single(searcher.Search(genesis.Header, genesis.Header.Target, range).Hits).Hash);

        var shape = new GemmShape(33, 17, 40);
        var (a, b, c) = GemmReference.RandomOperands(shape, seed: 5);
        var expected = GemmReference.Multiply(shape, a, b, c, 1, 0, out var bound);
        using (var multiplier = device.CreateMultiplier())
        {
            var product = new float[shape.CLength];
            multiplier.Multiply(shape, a, b, product);
            GemmReference.AssertWithin(expected, bound, product, shape);
        }

        // Disposing what it handed out left the device open: it searches again on the same accelerator.
        using var again = device.CreateSearcher();
        Assert.Single(again.Search(genesis.Header, genesis.Header.Target, range).Hits);
        Assert.Equal("simt", device.GemmKernel(GemmElementType.Fp32));
        foreach (var type in GemmElementType.All.Except(device.ElementTypes))
            Assert.Throws<NotSupportedException>(() => device.GemmKernel(type));
    }

    [Fact]
    public void The_cpus_kernel_names_are_those_its_searcher_and_multiplier_run()
    {
        using var device = ComputeDevice.Open(DeviceId.Cpu);
        using var searcher = device.CreateSearcher(cpuThreads: 1);
        using var multiplier = device.CreateMultiplier(cpuThreads: 1);
        Assert.Equal($"cpu/{device.SearchKernel} x1", searcher.Name);
        Assert.All(device.ElementTypes, type => Assert.Equal($"cpu/{device.GemmKernel(type)} x1", multiplier.Name));
        Assert.Equal(DeviceId.Cpu, device.Id);
        Assert.Null(device.Gpu);
    }

    [Fact]
    public void The_chunk_mine_searches_at_a_time_is_the_devices()
    {
        using var cpu = ComputeDevices.Open(DeviceId.Cpu);
        using var accelerator = ComputeDevices.Open(DeviceId.IlgpuCpu);
        Assert.Equal(cpu[0].PreferredChunk, cpu.PreferredChunk);
        Assert.Equal(accelerator[0].PreferredChunk, accelerator.PreferredChunk);
        // The CPU accelerator runs the GPU kernel some 10^4 times slower than a GPU and far slower than the SIMD CPU search.
        Assert.True(accelerator.PreferredChunk < cpu.PreferredChunk);
        Assert.True(cpu.PreferredChunk < NonceRange.NonceCount);
        using var gpus = ComputeDevices.Open(DeviceId.EveryGpu);
        Assert.Equal(Math.Min(NonceRange.NonceCount, gpus.Sum(d => d.PreferredChunk)), gpus.PreferredChunk);
    }

    [Fact]
    public void A_cuda_device_that_is_not_here_fails_to_open_naming_it()
    {
        var discovery = CudaDiscovery.Current;
        var missing = DeviceId.Cuda(discovery.Devices.Count + 3);
        var ex = Assert.Throws<GpuException>(() => ComputeDevice.Open(missing));
        Assert.Equal(missing.ToString(), ex.Device);
    }

    [Fact]
    public void The_cuda_prefix_is_written_once_in_the_code()
    {
        // "cuda: in a string literal, outside comments, in every C# file of src/ and bench/: GpuDevice.IdPrefix alone.
        var hits = new[] { "src", "bench" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => File.ReadLines(path).Select(line => (path, line)))
            .Where(x => !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && CudaLiteral().IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(Repository.Root, x.path)}: {x.line.Trim()}")
            .ToList();
        Assert.True(hits.Count == 1, string.Join("\n", hits));
        Assert.Contains("GpuDevice.cs", hits[0], StringComparison.Ordinal);
    }

    [GeneratedRegex("\"cuda:", RegexOptions.IgnoreCase)]
    private static partial Regex CudaLiteral();
}
