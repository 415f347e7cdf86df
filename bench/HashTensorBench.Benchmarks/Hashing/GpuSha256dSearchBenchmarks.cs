using BenchmarkDotNet.Attributes;
using HashTensorBench.Benchmarks.Columns;
using HashTensorBench.Benchmarks.Diagnosers;
using HashTensorBench.Bitcoin;
using HashTensorBench.Devices;
using HashTensorBench.Hashing;
using HashTensorBench.Platform.Cuda;

namespace HashTensorBench.Benchmarks.Hashing;

/// <summary>
/// The sha256d nonce search on each CUDA device (none on a machine without one: the class then has no
/// cases). Energy is read from the GPU that <c>--energy-gpu</c> names.
/// </summary>
[WorkUnit(WorkUnitAttribute.Hash)]
[EnergyDevice(EnergyDeviceKind.Gpu)]
public class GpuSha256dSearchBenchmarks
{
    // About 0.15 s per invocation at 7 G/s: long enough to hide the launch and copy-back.
    private const int NoncesPerInvoke = 1 << 30;

    private static readonly BlockHeader s_header = BlockHeader.Parse(
        "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c");

    private ComputeDevice _device = null!;
    private INonceSearcher _searcher = null!;
    private long _workItem;

    public static IEnumerable<string> Devices => CudaDiscovery.Current.Devices.Select(d => d.Id);

    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _device = ComputeDevice.Open(DeviceId.Parse(Device));
        _searcher = _device.CreateSearcher();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _searcher.Dispose();
        _device.Dispose();
    }

    [Benchmark(OperationsPerInvoke = NoncesPerInvoke)]
    public int Search()
    {
        // Fresh work every time: nonces, then BIP 320 versions, as a miner walks them.
        var result = _searcher.SearchRolling(s_header, s_header.Target, _workItem, NoncesPerInvoke);
        _workItem = (_workItem + NoncesPerInvoke) % VersionRolling.WorkItems;
        return result.Hits.Count;
    }
}
