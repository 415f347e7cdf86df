using HashTensorBench.Bitcoin;
using HashTensorBench.Hashing;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors;

namespace HashTensorBench.Devices;

/// <summary>One verification check: its name, whether it passed, what it found, and the exception that failed it, if any.</summary>
public sealed record VerificationCheck(string Name, bool Ok, string Detail, Exception? Error);

/// <summary>
/// Checks a device against references it cannot influence: its sha256d search against the CPU's (the CPU's own against
/// the platform's SHA-256) on seeded random headers (both ends of the nonce space, a forced full candidate buffer on an
/// ILGPU device) and against real headers, and its GEMM against a double-precision reference. Each check reports on its
/// own: a kernel that does not load or a device error is that check's failure, and the others still run.
/// </summary>
public static class DeviceVerification
{
    // About one nonce in 32 meets it: many hits to compare, most nonces still rejected early.
    private static readonly Target s_easy = Target.Parse("07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");

    /// <summary>
    /// Runs the checks of <paramref name="device"/> one by one, each yielded as it ends. <paramref name="around"/>, when
    /// given, runs each check (a caller shows progress with it). Cancellation stops before the next check.
    /// </summary>
    /// <param name="device">One device (expand <c>gpu</c> first).</param>
    /// <param name="blocks">Real blocks to find at their nonces; none is a failure, never a pass.</param>
    /// <param name="source">Where the blocks came from, for the report.</param>
    /// <param name="around">Runs a named check and returns its outcome.</param>
    /// <param name="cancellationToken">Stops the checks.</param>
    public static IEnumerable<VerificationCheck> Run(DeviceId device, IReadOnlyList<KnownBlock> blocks, string source,
        Func<string, Func<(bool Ok, string Detail)>, (bool Ok, string Detail)>? around = null, CancellationToken cancellationToken = default)
    {
        around ??= (_, check) => check();
        // The device is opened once: its searchers and its multiplier share it.
        ComputeDevice? opened = null;
        INonceSearcher? searcher = null;
        Exception? openError = null;
        try
        {
            opened = ComputeDevice.Open(device);
            searcher = opened.CreateSearcher();
        }
        catch (GpuException ex)
        {
            openError = ex;
        }
        try
        {
            // A device that does not open fails each of its checks with the reason; one whose search fails to load still
            // runs the GEMM.
            INonceSearcher Search() => searcher ?? throw openError!;
            ComputeDevice Opened() => opened ?? throw openError!;
            int count = device.Kind switch { DeviceKind.IlgpuCpu => 1024, DeviceKind.Cpu => 1 << 14, _ => 1 << 16 };
            yield return Check("sha256d random headers", () => RandomHeaders(Search(), device.Kind == DeviceKind.Cpu, count, cancellationToken), around, cancellationToken);
            if (opened is null or IlgpuComputeDevice)
                yield return Check("sha256d full candidate buffer", () => FullCandidateBuffer((IlgpuComputeDevice)Opened(), Search()), around, cancellationToken);
            yield return Check("sha256d real headers", () => Real(Search(), blocks, source, cancellationToken), around, cancellationToken);
            yield return Check("gemm against a double reference", () => Gemm(Opened(), cancellationToken), around, cancellationToken);
        }
        finally
        {
            searcher?.Dispose();
            opened?.Dispose();
        }
    }

    private static VerificationCheck Check(string name, Func<(bool Ok, string Detail)> check,
        Func<string, Func<(bool Ok, string Detail)>, (bool Ok, string Detail)> around, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var (ok, detail) = around(name, check);
            return new VerificationCheck(name, ok, detail, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new VerificationCheck(name, false, $"{ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
    }

    // The CPU's search is checked against the platform's SHA-256 per nonce, which its kernels do not use (checking it
    // against another CPU searcher could not fail); every other device against the CPU's search, fast enough for 2^16.
    private static (bool, string) RandomHeaders(INonceSearcher searcher, bool onCpu, int count, CancellationToken cancellationToken)
    {
        var random = new Random(20261125);
        var reference = onCpu ? null : new CpuNonceSearcher();
        string against = onCpu ? "SHA256.HashData" : "the CPU";
        int ranges = 0, hits = 0;
        for (int h = 0; h < 8; h++)
        {
            var bytes = new byte[BlockHeader.SizeInBytes];
            random.NextBytes(bytes);
            var header = BlockHeader.Read(bytes);
            foreach (var range in new[]
            {
                new NonceRange(0, count), new NonceRange((uint)(NonceRange.NonceCount - count), count),
                new NonceRange((1u << 31) - 7, 13), new NonceRange((uint)random.NextInt64(0, NonceRange.NonceCount - count), count),
            })
            {
                var expected = reference?.Search(header, s_easy, range, cancellationToken: cancellationToken).Hits
                    ?? PlatformSearch(header, range, cancellationToken);
                var actual = searcher.Search(header, s_easy, range, cancellationToken: cancellationToken).Hits;
                if (!expected.SequenceEqual(actual))
                    return (false, $"range {range}: {actual.Count} hits, {against} found {expected.Count}");
                ranges++;
                hits += expected.Count;
            }
        }
        return (true, $"{ranges} ranges incl. both ends of the nonce space, {hits} hits, identical to {against}");
    }

    // The obvious search: SHA-256 twice per nonce, through the platform's SHA256.HashData.
    private static List<NonceHit> PlatformSearch(BlockHeader header, NonceRange range, CancellationToken cancellationToken)
    {
        var hits = new List<NonceHit>();
        Span<byte> bytes = stackalloc byte[BlockHeader.SizeInBytes];
        Span<byte> hash = stackalloc byte[Sha256d.HashSizeInBytes];
        for (long n = range.Start; n < range.End; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            header.WithNonce((uint)n).WriteTo(bytes);
            Sha256d.HashData(bytes, hash);
            var value = UInt256.FromLittleEndian(hash);
            if (value <= s_easy.Value)
                hits.Add(new NonceHit((uint)n, value, header.Version));
        }
        return hits;
    }

    private static (bool, string) FullCandidateBuffer(IlgpuComputeDevice device, INonceSearcher gpu)
    {
        using var tiny = device.CreateSearcher(candidateCapacity: 7);
        var header = KnownHeaders.Genesis.Header;
        var range = new NonceRange(uint.MaxValue - 999, 1000);
        var found = tiny.Search(header, new Target(UInt256.MaxValue), range).Hits;
        bool ok = found.Count == 1000 && found.Select(h => h.Nonce).SequenceEqual(Enumerable.Range(0, 1000).Select(i => range.Start + (uint)i));
        return (ok, ok
            ? $"1000 hits through a 7-entry buffer on {gpu.Name}, none lost"
            : $"{found.Count} of 1000 hits came back through a 7-entry buffer");
    }

    private static (bool, string) Real(INonceSearcher searcher, IReadOnlyList<KnownBlock> blocks, string source, CancellationToken cancellationToken)
    {
        // No check passes vacuously: a file without headers is a failure, not an "ok" over nothing.
        if (blocks.Count == 0)
            return (false, $"{source} holds no headers");
        foreach (var block in blocks)
        {
            uint nonce = block.Header.Nonce;
            uint start = nonce - Math.Min(nonce, 500u);
            var range = new NonceRange(start, Math.Min(1000, NonceRange.NonceCount - start));
            var hits = searcher.Search(block.Header, block.Header.Target, range, cancellationToken: cancellationToken).Hits;
            if (hits.Count != 1 || hits[0].Nonce != nonce || hits[0].Hash != block.Hash)
                return (false, $"{block}: expected only nonce {nonce}, found [{string.Join(", ", hits.Select(h => h.Nonce))}]");
        }
        return (true, $"{blocks.Count} blocks from {source}, each found at its nonce with its block hash");
    }

    // The sampled error of each product against a double-precision reference, relative to Σ|a·b|, must stay
    // within the element type's bound (FP32 accumulation's (3K+2)·2^-24; exact for INT8). Each type the device
    // multiplies is checked on its own, so a kernel that fails to load does not hide the others' results.
    private static (bool, string) Gemm(ComputeDevice device, CancellationToken cancellationToken)
    {
        // A large product where the device is fast; ILGPU's CPU accelerator emulates every mma, so it stops at the odd shape.
        GemmShape[] shapes = device.Id.Kind switch
        {
            DeviceKind.Cuda => [new(1, 1, 1), new(127, 257, 61), new(4096, 4096, 4096)],
            DeviceKind.Cpu => [new(1, 1, 1), new(127, 257, 61), new(96, 96, 96)],
            _ => [new(1, 1, 1), new(127, 257, 61)],
        };
        using var multiplier = device.CreateMultiplier();
        var details = new List<string>();
        bool ok = true;
        foreach (var type in multiplier.ElementTypes)
        {
            try
            {
                double worst = 0;
                string? failure = null;
                foreach (var shape in shapes)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var measured = GemmMeasurement.Check(multiplier, shape, type, cancellationToken: cancellationToken);
                    double bound = type.ErrorBound(shape.K);
                    if (!measured.WithinBound)
                    {
                        failure = $"{type.Name} {shape}: relative error {measured.MaxRelativeError:E2} exceeds {bound:E2}";
                        break;
                    }
                    if (bound > 0)
                        worst = Math.Max(worst, measured.MaxRelativeError / bound);
                }
                ok &= failure is null;
                details.Add(failure ?? (type.IsExact ? $"{type.Name} exact" : $"{type.Name} worst error {worst:P1} of the FP32 rounding bound"));
            }
            catch (GpuException ex)
            {
                ok = false;
                details.Add($"{type.Name} failed: {ex.Message.ReplaceLineEndings(" ")}");
            }
        }
        var missing = GemmElementType.All.Except(multiplier.ElementTypes).Select(t => t.Name).ToList();
        if (missing.Count > 0)
            details.Add($"no {string.Join(" or ", missing)} kernel on this device");
        return (ok, $"{string.Join(", ", shapes.Select(s => $"{s.M}x{s.N}x{s.K}"))}: {string.Join("; ", details)}");
    }
}
