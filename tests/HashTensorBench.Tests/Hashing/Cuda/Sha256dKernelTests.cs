using System.Buffers.Binary;
using HashTensorBench.Bitcoin;
using HashTensorBench.Devices;
using HashTensorBench.Hashing;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Hashing.Cuda;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tests.TestData;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Tests.Hashing.Cuda;

/// <summary>The GPU sha256d kernel: its arithmetic called directly, then whole searches on ILGPU's CPU accelerator.</summary>
public class Sha256dKernelTests : IClassFixture<Sha256dKernelTests.CpuAccelerator>
{
    private static readonly Target s_easy = Target.Parse("07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
    private readonly IlgpuNonceSearcher _searcher;

    public Sha256dKernelTests(CpuAccelerator accelerator) => _searcher = accelerator.Searcher;

    /// <summary>One CPU accelerator for the class: creating one compiles the kernel.</summary>
    public sealed class CpuAccelerator : IDisposable
    {
        public IlgpuNonceSearcher Searcher { get; } = IlgpuNonceSearcher.ForCpuAccelerator();

        public void Dispose() => Searcher.Dispose();
    }

    [Fact]
    public void Folded_padding_constants_match_the_host_computation()
    {
        Assert.Equal(Sha256dKernel.SmallSigma0OfHeaderBits, Sha256dJob.SmallSigma0OfHeaderBits);
        Assert.Equal(Sha256dKernel.SmallSigma0OfHashBits, Sha256dJob.SmallSigma0OfHashBits);
        Assert.Equal(Sha256dKernel.SmallSigma1OfHashBits, Sha256dJob.SmallSigma1OfHashBits);
        Assert.Equal(Sha256dKernel.SmallSigma0OfPaddingStart, Sha256dJob.SmallSigma0OfPaddingStart);
    }

    [Fact]
    public void Kernel_last_word_is_sha256d_for_random_headers_and_nonces()
    {
        var random = new Random(17);
        for (int trial = 0; trial < 2000; trial++)
        {
            var header = ReferenceSearch.RandomHeader(random);
            uint nonce = trial switch { 0 => 0, 1 => uint.MaxValue, _ => (uint)random.NextInt64(0, 1L << 32) };
            var parameters = IlgpuNonceSearcher.Parameters(new Sha256dJob(header, s_easy));
            var hash = ReferenceSearch.Hash(header, nonce);
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(28)), Sha256dKernel.LastWord(parameters, nonce));
        }
    }

    [Fact]
    public void Search_returns_exactly_the_reference_hits_including_range_edges()
    {
        var random = new Random(23);
        foreach (var (start, count) in new (uint, long)[] { (0, 1), (7, 15), (1000, 1000), (uint.MaxValue, 1), (uint.MaxValue - 999, 1000), (1u << 31, 333) })
        {
            var header = ReferenceSearch.RandomHeader(random);
            var range = new NonceRange(start, count);
            Assert.Equal(ReferenceSearch.Search(header, s_easy, range), _searcher.Search(header, s_easy, range).Hits);
        }
    }

    [Fact]
    public void A_full_candidate_buffer_is_searched_again_and_loses_no_hit()
    {
        using var tiny = IlgpuNonceSearcher.ForCpuAccelerator(candidateCapacity: 3);
        var header = ReferenceSearch.RandomHeader(new Random(29));
        var range = new NonceRange(uint.MaxValue - 99, 100);
        var all = tiny.Search(header, new Target(UInt256.MaxValue), range);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => uint.MaxValue - 99 + (uint)i), all.Hits.Select(h => h.Nonce));
        var easy = tiny.Search(header, s_easy, new NonceRange(5, 2000));
        Assert.Equal(ReferenceSearch.Search(header, s_easy, new NonceRange(5, 2000)), easy.Hits);
    }

    [Fact]
    public void Real_headers_are_found_at_their_nonce()
    {
        foreach (var record in RealHeaders.Embedded)
        {
            var header = record.Header;
            uint below = Math.Min(record.Nonce, 40u);
            var result = _searcher.Search(header, header.Target, new NonceRange(record.Nonce - below, below + 1));
            Assert.Equal([new NonceHit(record.Nonce, UInt256.Parse(record.BlockHash), header.Version)], result.Hits);
        }
    }

    [Fact]
    public void Ptx_keeps_the_state_in_registers()
    {
        string ptx = PtxCompiler.Compile(PtxExport.All["sha256d"].Method, CudaArchitecture.SM_90, CudaInstructionSet.ISA_78);
        Assert.Contains(".entry", ptx);
        Assert.Contains("atom.add.global.u32", ptx);
        // An indexed array or a spilled variable would show up as local memory.
        Assert.DoesNotContain(".local", ptx);
        Assert.DoesNotContain("call", ptx);
    }

    [Fact]
    public void Ilgpu_writes_target_sm_80_for_hopper_whatever_the_isa()
    {
        // What `htb devices` reports as the device's PTX target: ILGPU 1.5.3 caps .target at sm_80.
        string ptx = PtxCompiler.Compile(PtxExport.All["sha256d"].Method, CudaArchitecture.SM_90, CudaInstructionSet.ISA_88);
        Assert.Contains(".version 8.8", ptx);
        Assert.Contains(".target sm_80", ptx);
    }

    [SkippableFact]
    public void Cuda_devices_agree_with_the_cpu_search()
    {
        var discovery = CudaDiscovery.Current;
        Skip.If(discovery.Devices.Count == 0, $"No CUDA device: {discovery.Reason}.");
        var header = ReferenceSearch.RandomHeader(new Random(31));
        var range = new NonceRange(uint.MaxValue - 200_000, 200_001);
        var expected = new CpuNonceSearcher().Search(header, s_easy, range).Hits;
        foreach (var device in discovery.Devices)
        {
            using var opened = ComputeDevice.Open(DeviceId.Cuda(device.Index));
            using var gpu = opened.CreateSearcher();
            Assert.Equal(expected, gpu.Search(header, s_easy, range).Hits);
        }
    }

    [SkippableFact]
    public void Discovery_explains_why_there_is_no_cuda_device()
    {
        var discovery = CudaDiscovery.Current;
        Skip.If(discovery.Devices.Count > 0, "This machine has a CUDA device: there is no absence to explain.");
        Assert.False(string.IsNullOrEmpty(discovery.Reason));
        var ex = Assert.Throws<GpuException>(() => ComputeDevice.Open(DeviceId.Cuda(0)));
        Assert.Equal("cuda:0", ex.Device);
        Assert.Contains(discovery.Reason!, ex.Message);
    }
}
