using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using HashTensorBench.Benchmarks.Columns;
using HashTensorBench.Bitcoin;
using HashTensorBench.Hashing;
using HashTensorBench.Hashing.Cpu;

namespace HashTensorBench.Benchmarks.Hashing;

/// <summary>
/// The CPU nonce search per kernel, on one thread (the per-core figure) and on every core. One operation is
/// one nonce: the H/s column is sha256d hashes per second.
/// </summary>
[WorkUnit(WorkUnitAttribute.Hash)]
public class Sha256dSearchBenchmarks
{
    // About 30 ms per invocation on one core at 30 M/s.
    private const int NoncesPerInvoke = 1 << 20;

    // The genesis header at its real (difficulty 1) target: the search rejects almost every nonce early,
    // as it does when mining.
    private static readonly BlockHeader s_header = BlockHeader.Parse(
        "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c");

    private CpuNonceSearcher _searcher = null!;
    private uint _start;

    public static IEnumerable<CpuSha256dKernel> Kernels => CpuSha256dKernels.Supported;

    public static IEnumerable<int> ThreadCounts => Environment.ProcessorCount == 1 ? [1] : [1, Environment.ProcessorCount];

    [ParamsSource(nameof(Kernels))]
    public CpuSha256dKernel Kernel { get; set; }

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _searcher = new CpuNonceSearcher(Kernel, Threads);

    [Benchmark(OperationsPerInvoke = NoncesPerInvoke)]
    public int Search()
    {
        // A fresh range each time, as a miner walks the nonce space.
        _start += NoncesPerInvoke;
        return _searcher.Search(s_header, s_header.Target, new NonceRange(_start, NoncesPerInvoke)).Hits.Count;
    }
}

/// <summary>
/// Anchors measured in the same run: the obvious loop (the platform's SHA-256 twice per nonce, which
/// uses the SHA extensions through OpenSSL), and OpenSSL's SHA-256 over 16 KiB, as
/// <c>openssl speed -bytes 16384 -evp sha256</c> measures it, counted as sha256d equivalents
/// (two 64-byte compressions each). Both on one thread.
/// </summary>
[WorkUnit(WorkUnitAttribute.Hash)]
public class Sha256dBaselineBenchmarks
{
    private const int NoncesPerInvoke = 1 << 16;
    private const int BufferBytes = 16384;

    private readonly byte[] _header = Convert.FromHexString(
        "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c");
    private readonly byte[] _buffer = new byte[BufferBytes];
    private readonly byte[] _hash = new byte[32];

    [Benchmark(OperationsPerInvoke = NoncesPerInvoke)]
    public byte NaiveSha256HashDataTwice()
    {
        Span<byte> first = stackalloc byte[32];
        for (uint nonce = 0; nonce < NoncesPerInvoke; nonce++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(BlockHeader.NonceOffset), nonce);
            SHA256.HashData(_header, first);
            SHA256.HashData(first, _hash);
        }
        return _hash[31];
    }

    // 16384 bytes are 256 compressions, i.e. 128 sha256d equivalents.
    [Benchmark(OperationsPerInvoke = BufferBytes / 128)]
    public byte OpenSslSha256Of16KiB()
    {
        SHA256.HashData(_buffer, _hash);
        return _hash[0];
    }
}

/// <summary>
/// The generated SHA-NI kernel at each interleave, on one thread: how many nonces hide <c>sha256rnds2</c>'s latency
/// on this processor (<see cref="Sha256dShaNiKernel.Ways"/> is the choice). One operation is one nonce.
/// </summary>
[WorkUnit(WorkUnitAttribute.Hash)]
public class Sha256dShaNiInterleaveBenchmarks
{
    private const int NoncesPerInvoke = 1 << 18;

    private readonly Sha256dJob _job = new(KnownHeaders.Genesis.Header, KnownHeaders.Genesis.Header.Target);
    private readonly List<NonceHit> _hits = [];
    private long _start;

    public static IEnumerable<int> Interleaves => Sha256dShaNiKernel.WhyNotSupported() is null ? Enumerable.Range(1, Sha256dShaNiFrame.MaxWays) : [];

    [ParamsSource(nameof(Interleaves))]
    public int Ways { get; set; }

    [Benchmark(OperationsPerInvoke = NoncesPerInvoke)]
    public int Search()
    {
        _start = (_start + NoncesPerInvoke) % (NonceRange.NonceCount - NoncesPerInvoke);
        _hits.Clear();
        Sha256dShaNiKernel.Search(_job, _start, _start + NoncesPerInvoke, _hits, Ways);
        return _hits.Count;
    }
}
