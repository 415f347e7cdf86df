using HashTensorBench.Bitcoin;
using HashTensorBench.Devices;
using HashTensorBench.Hashing;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Tests.TestData;

namespace HashTensorBench.Tests.Hashing;

public class VersionRollingAndDevicesTests
{
    private static readonly Target s_easy = Target.Parse("07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");

    [Fact]
    public void Rolled_versions_change_only_the_bip320_bits()
    {
        const int baseVersion = 0x20000004;
        Assert.Equal(baseVersion & ~VersionRolling.Mask, VersionRolling.Version(baseVersion, 0));
        Assert.Equal(0x20002004, VersionRolling.Version(baseVersion, 1));
        Assert.Equal(0x3fffe004, VersionRolling.Version(baseVersion, VersionRolling.Rolls - 1));
        var all = Enumerable.Range(0, VersionRolling.Rolls).Select(r => VersionRolling.Version(baseVersion, r)).ToHashSet();
        Assert.Equal(VersionRolling.Rolls, all.Count);
        Assert.All(all, v => Assert.Equal(baseVersion & ~VersionRolling.Mask, v & ~VersionRolling.Mask));
        Assert.Throws<ArgumentOutOfRangeException>(() => VersionRolling.Version(baseVersion, VersionRolling.Rolls));
    }

    [Fact]
    public void Block_830000_is_found_by_rolling_from_its_version_with_the_rolled_bits_cleared()
    {
        // Block 830000 was mined with BIP 320 rolling: its version 0x25ee8000 is roll 0x2f74 of 0x20000000.
        var record = RealHeaders.Embedded.Single(r => r.Height == 830000);
        var header = record.Header;
        int roll = (header.Version & VersionRolling.Mask) >> 13;
        var unrolled = header.WithVersion(header.Version & ~VersionRolling.Mask);
        long item = ((long)roll << 32) + record.Nonce;
        var result = new CpuNonceSearcher(threads: 1).SearchRolling(unrolled, header.Target, item - 20, 40);
        Assert.Equal([new NonceHit(record.Nonce, UInt256.Parse(record.BlockHash), header.Version)], result.Hits);
        Assert.Equal(40, result.Hashes);
    }

    [Fact]
    public void A_rolling_search_across_a_version_boundary_matches_two_plain_searches()
    {
        var header = ReferenceSearch.RandomHeader(new Random(41)).WithVersion(0x20000000);
        long first = (3L << 32) - 500;
        var rolled = new CpuNonceSearcher(threads: 2).SearchRolling(header, s_easy, first, 1000);
        var expected = ReferenceSearch.Search(header.WithVersion(VersionRolling.Version(0x20000000, 2)), s_easy, new NonceRange(uint.MaxValue - 499, 500))
            .Concat(ReferenceSearch.Search(header.WithVersion(VersionRolling.Version(0x20000000, 3)), s_easy, new NonceRange(0, 500)));
        Assert.Equal(expected, rolled.Hits);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CpuNonceSearcher().SearchRolling(header, s_easy, VersionRolling.WorkItems - 1, 2));
    }

    [Fact]
    public void Several_devices_split_a_range_and_merge_every_hit()
    {
        var header = ReferenceSearch.RandomHeader(new Random(43));
        using var multi = new MultiDeviceNonceSearcher([
            new CpuNonceSearcher(CpuSha256dKernel.Scalar, 1), new CpuNonceSearcher(threads: 1), new CpuNonceSearcher(threads: 2)]);
        foreach (var range in new[] { new NonceRange(uint.MaxValue - 1000, 1001), new NonceRange(10, 2), new NonceRange(0, 7001) })
        {
            var result = multi.Search(header, s_easy, range);
            Assert.Equal(ReferenceSearch.Search(header, s_easy, range), result.Hits);
            Assert.Equal(range.Count, result.Hashes);
        }
        Assert.Contains(" + ", multi.Name);
    }

    [Fact]
    public void A_failing_device_surfaces_its_own_error_not_an_aggregate()
    {
        var header = ReferenceSearch.RandomHeader(new Random(47));
        using var one = new MultiDeviceNonceSearcher([new CpuNonceSearcher(threads: 1), new FailingSearcher("cuda:1")]);
        Assert.Equal("cuda:1", Assert.Throws<HashTensorBench.Platform.Cuda.GpuException>(() => one.Search(header, s_easy, new NonceRange(0, 1000))).Device);
        using var two = new MultiDeviceNonceSearcher([new FailingSearcher("cuda:0"), new FailingSearcher("cuda:1")]);
        Assert.StartsWith("cuda:", Assert.Throws<HashTensorBench.Platform.Cuda.GpuException>(() => two.Search(header, s_easy, new NonceRange(0, 1000))).Device);
        Assert.Throws<ArgumentOutOfRangeException>(() => HashTensorBench.Hashing.Cuda.IlgpuNonceSearcher.ForCpuAccelerator(candidateCapacity: 0));
    }

    private sealed class FailingSearcher(string device) : INonceSearcher
    {
        // Holds no device.
        public void Dispose()
        {
        }

        public string Name => device;

        public NonceSearchResult Search(in BlockHeader header, Target target, NonceRange range, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
            throw new HashTensorBench.Platform.Cuda.GpuException(device, "the kernel launch failed (test)");
    }

    [Fact]
    public void Device_names_are_checked_and_gpu_falls_back_to_the_cpu_with_a_reason()
    {
        Assert.IsType<CpuNonceSearcher>(NonceSearchers.Create("cpu"));
        var ex = Assert.Throws<ArgumentException>(() => NonceSearchers.Create("tpu"));
        Assert.Contains("cuda:N", ex.Message);
        Assert.Throws<ArgumentException>(() => NonceSearchers.Create("cuda:-1"));
    }

    [SkippableFact]
    public void Gpu_falls_back_to_the_cpu_with_a_reason_when_there_is_no_cuda_device()
    {
        Skip.If(HashTensorBench.Platform.Cuda.CudaDiscovery.Current.Devices.Count > 0, "This machine has a CUDA device: gpu does not fall back.");
        string? notice = null;
        Assert.IsType<CpuNonceSearcher>(NonceSearchers.Create("gpu", notice: n => notice = n));
        Assert.Contains("using the CPU instead", notice);
    }
}
