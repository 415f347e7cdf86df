using System.Diagnostics;
using HashTensorBench.Bitcoin;
using HashTensorBench.Platform.Cuda;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace HashTensorBench.Hashing.Cuda;

/// <summary>
/// The sha256d nonce search on one ILGPU accelerator: a CUDA GPU, or ILGPU's CPU accelerator, which runs
/// the very same kernel (slowly) so that it can be tested on any machine.
/// </summary>
/// <remarks>
/// Each launch covers up to <see cref="NoncesPerLaunch"/> nonces. Threads write candidate nonces (those whose
/// hash's top word can meet the target) to a bounded buffer through an atomic counter; the host confirms
/// each exactly. When a launch finds more candidates than the buffer holds, its range is searched again
/// in halves, so no hit is ever dropped.
/// </remarks>
public sealed class IlgpuNonceSearcher : INonceSearcher
{
    /// <summary>Candidates a launch can return; at real targets a launch has almost always none.</summary>
    public const int DefaultCandidateCapacity = 4096;

    private readonly IlgpuAccelerator _gpu;
    // What the searcher closes when disposed: its accelerator, or the device that handed it over; null when it shares
    // a device that stays open.
    private readonly IDisposable? _owner;
    private readonly Action<Index1D, Sha256dKernelParameters, ArrayView<uint>> _kernel;
    private readonly MemoryBuffer1D<uint, Stride1D.Dense> _results;
    private readonly uint[] _counter = new uint[1];

    /// <summary>A searcher on <paramref name="gpu"/>, which it shares; <paramref name="owner"/>, when given, is disposed with it (also when this fails).</summary>
    /// <exception cref="GpuException">The kernel fails to load.</exception>
    internal IlgpuNonceSearcher(IlgpuAccelerator gpu, int candidateCapacity, IDisposable? owner)
    {
        _gpu = gpu;
        _owner = owner;
        Name = gpu.Name;
        CandidateCapacity = candidateCapacity;
        // On a GPU, 64 nonces a thread keeps launches to a few million threads, and 2^30 nonces a launch is about 0.15 s
        // on an H100, short enough for progress and cancellation; the CPU accelerator is some 10^4 times slower.
        (NoncesPerThread, NoncesPerLaunch) = gpu.Device is null ? (16u, 1u << 20) : (64u, 1u << 30);
        try
        {
            CheckCapacity(candidateCapacity);
            _kernel = gpu.Accelerator.LoadAutoGroupedStreamKernel<Index1D, Sha256dKernelParameters, ArrayView<uint>>(Sha256dKernel.Search);
            _results = gpu.Accelerator.Allocate1D<uint>(1 + candidateCapacity);
        }
        catch (Exception ex) when (GpuException.IsDeviceFailure(ex))
        {
            owner?.Dispose();
            throw new GpuException(Name, $"could not load the sha256d kernel: {ex.Message}", ex);
        }
        catch
        {
            owner?.Dispose();
            throw;
        }
    }

    // A launch that finds one candidate must be able to report it, or re-searching in halves never ends.
    private static void CheckCapacity(int candidateCapacity)
    {
        if (candidateCapacity < 1)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(candidateCapacity), $"The candidate buffer needs at least one entry; got {candidateCapacity}.");
    }

    /// <summary>ILGPU's CPU accelerator, opened for this searcher alone: the GPU kernel, run by CPU threads, for tests and for machines without a GPU.</summary>
    public static IlgpuNonceSearcher ForCpuAccelerator(int candidateCapacity = DefaultCandidateCapacity)
    {
        CheckCapacity(candidateCapacity);
        var gpu = IlgpuAccelerator.OpenCpu(CPUDevice.Default);
        return new IlgpuNonceSearcher(gpu, candidateCapacity, owner: gpu);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>How many candidates one launch can report before its range is searched again in halves.</summary>
    public int CandidateCapacity { get; }

    /// <summary>How many consecutive nonces each GPU thread tries.</summary>
    public uint NoncesPerThread { get; }

    /// <summary>The most nonces one kernel launch covers.</summary>
    public uint NoncesPerLaunch { get; }

    /// <inheritdoc/>
    public NonceSearchResult Search(in BlockHeader header, Target target, NonceRange range,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var job = new Sha256dJob(header, target);
        var parameters = Parameters(job);
        var hits = new List<NonceHit>();
        var stopwatch = Stopwatch.StartNew();
        for (long start = range.Start; start < range.End; start += NoncesPerLaunch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            uint count = (uint)Math.Min(NoncesPerLaunch, range.End - start);
            Launch(job, parameters, (uint)start, count, hits);
            progress?.Report(start + count - range.Start);
        }
        stopwatch.Stop();
        hits.Sort((x, y) => x.Nonce.CompareTo(y.Nonce));
        return new NonceSearchResult(Name, range.Count, hits, stopwatch.Elapsed);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _results.Dispose();
        _owner?.Dispose();
    }

    private void Launch(Sha256dJob job, Sha256dKernelParameters parameters, uint start, uint count, List<NonceHit> hits)
    {
        uint[] candidates;
        try
        {
            parameters.Start = start;
            parameters.Count = count;
            parameters.NoncesPerThread = NoncesPerThread;
            parameters.Capacity = (uint)CandidateCapacity;
            _results.View.SubView(0, 1).MemSetToZero();
            _kernel((int)((count + NoncesPerThread - 1) / NoncesPerThread), parameters, _results.View);
            _gpu.Accelerator.Synchronize();
            _results.View.SubView(0, 1).CopyToCPU(_counter);
            if (_counter[0] > CandidateCapacity)
            {
                // More candidates than the buffer holds: search each half again (a half no larger than
                // the buffer cannot overflow).
                uint half = count / 2;
                Launch(job, parameters, start, half, hits);
                Launch(job, parameters, start + half, count - half, hits);
                return;
            }
            candidates = new uint[_counter[0]];
            if (candidates.Length > 0)
                _results.View.SubView(1, candidates.Length).CopyToCPU(candidates);
        }
        catch (Exception ex) when (GpuException.IsDeviceFailure(ex))
        {
            throw new GpuException(Name, $"the sha256d kernel failed on nonces [{start}, {(long)start + count}): {ex.Message}", ex);
        }
        foreach (uint nonce in candidates)
        {
            if (job.TryConfirm(nonce, out var hit))
                hits.Add(hit);
        }
    }

    internal static Sha256dKernelParameters Parameters(Sha256dJob job) => new()
    {
        Round3A = job.Round3A, Round3B = job.Round3B, Round3C = job.Round3C, Round3D = job.Round3D,
        Round3E = job.Round3E, Round3F = job.Round3F, Round3G = job.Round3G, Round3H = job.Round3H,
        Mid0 = job.Midstate[0], Mid1 = job.Midstate[1], Mid2 = job.Midstate[2], Mid3 = job.Midstate[3],
        Mid4 = job.Midstate[4], Mid5 = job.Midstate[5], Mid6 = job.Midstate[6], Mid7 = job.Midstate[7],
        W16 = job.W16, W17 = job.W17, W18Partial = job.W18Partial, W19Partial = job.W19Partial,
        W31Partial = job.W31Partial, W32Partial = job.W32Partial,
        Threshold = job.Threshold,
    };
}
