using System.CommandLine;
using HashTensorBench.Bitcoin;
using HashTensorBench.Devices;
using HashTensorBench.Hashing;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Hashing.Cuda;
using HashTensorBench.Platform.Cuda;
using HashTensorBench.Tensors;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// <c>htb verify --device D [--headers CSV] [--json]</c>: checks a device's sha256d search against the
/// CPU's on seeded random headers (range edges, a forced full candidate buffer) and on real headers, and
/// its GEMM against a double-precision reference on odd and large shapes.
/// Exit code 1 when any check fails. This is how a GPU is accepted on a machine without the .NET SDK.
/// </summary>
internal static class VerifyCommand
{
    /// <summary>Exit code when a check fails.</summary>
    public const int Failed = 1;

    // About one nonce in 32 meets it: many hits to compare, most nonces still rejected early.
    private static readonly Target s_easy = Target.Parse("07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");

    public static Command Create(TextWriter output, TextWriter error)
    {
        var device = Options.Device("The device to check (cpu checks itself; gpu checks each CUDA device in turn).", DeviceId.EveryGpu);
        device.Required = true;
        var headers = new Option<FileInfo?>("--headers")
        {
            Description = "A CSV of real headers (height,header_hex,block_hash,nbits_hex,nonce); default: ../shared/data/bitcoin-mainnet-headers.csv if present, else the built-in blocks.",
        };
        var sample = Options.Integer("--sample", "How many real headers to check, spread over the file.", 1, 1_000_000, defaultValue: 300);
        var json = Options.Json();
        var command = new Command("verify", "Check a device's sha256d search against the CPU and its GEMM against a double-precision reference.") { device, headers, sample, json };
        command.SetAction((result, cancellationToken) =>
        {
            var blocks = RealBlocks(result.GetValue(headers), (int)result.GetValue(sample), out string source);
            bool asJson = result.GetValue(json);
            // gpu checks each CUDA device in turn: one block of lines, or one line of JSON, per device.
            int exitCode = 0;
            foreach (var id in result.GetValue(device).Expand(notice => error.WriteLine($"htb: {notice}")))
                exitCode = Math.Max(exitCode, Verify(id, blocks, source, output, asJson, cancellationToken));
            return Task.FromResult(exitCode);
        });
        return command;
    }

    // The checks of one device; its exit code (a device that could not be used at all throws its GpuException).
    private static int Verify(DeviceId id, IReadOnlyList<KnownBlock> blocks, string source, TextWriter output, bool asJson,
        CancellationToken cancellationToken)
    {
        var checks = new List<Check>();
        void Run(string name, Func<(bool Ok, string Detail)> check)
        {
            // Each check reports on its own: a failure (a kernel that does not load, a device error) is that
            // check's result, and the others still run. Ctrl+C stops before the next check.
            cancellationToken.ThrowIfCancellationRequested();
            Check outcome;
            try
            {
                var (ok, detail) = Options.WithProgress(output, asJson, $"verify {id}: {name}", _ => check());
                outcome = new Check(name, ok, detail, null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                outcome = new Check(name, false, $"{ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}", ex);
            }
            checks.Add(outcome);
            if (!asJson)
                output.WriteLine($"{(outcome.Ok ? "ok  " : "FAIL")}  {outcome.Name}: {outcome.Detail}");
        }
        try
        {
            Owned<INonceSearcher>? searcher = null;
            Exception? openError = null;
            try
            {
                searcher = new Owned<INonceSearcher>(NonceSearchers.Create(id));
            }
            catch (GpuException ex)
            {
                openError = ex;
            }
            using (searcher)
            {
                // A device that does not open fails each of its checks with the reason, and the GEMM still runs.
                INonceSearcher Search() => searcher?.Value ?? throw openError!;
                Run("sha256d random headers", () => RandomHeaders(Search(), id.Kind == DeviceKind.IlgpuCpu ? 1024 : 1 << 16, cancellationToken));
                if (searcher is null || searcher.Value is IlgpuNonceSearcher)
                    Run("sha256d full candidate buffer", () => FullCandidateBuffer((IlgpuNonceSearcher)Search(), id));
                Run("sha256d real headers", () => Real(Search(), blocks, source, cancellationToken));
            }
            Run("gemm against a double reference", () => Gemm(id, cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // The checks done are printed (each as it ended, or in the JSON below), then the usual exit 130.
            if (!asJson)
                output.WriteLine($"stopped (Ctrl+C) after {checks.Count} check{(checks.Count == 1 ? "" : "s")}");
            throw;
        }
        finally
        {
            // Ctrl+C included: what was checked is printed before the run ends.
            if (asJson)
                WriteJson(output, id.ToString(), checks, cancellationToken.IsCancellationRequested);
        }
        // A device that could not be used at all is a missing or failing GPU (exit 3), not a failed check.
        if (checks.TrueForAll(c => c.Error is GpuException))
            throw checks[0].Error!;
        return checks.TrueForAll(c => c.Ok) ? 0 : Failed;
    }

    private sealed record Check(string Name, bool Ok, string Detail, Exception? Error);

    private static (bool, string) RandomHeaders(INonceSearcher searcher, int count, CancellationToken cancellationToken)
    {
        var random = new Random(20261125);
        var reference = new CpuNonceSearcher();
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
                var expected = reference.Search(header, s_easy, range, cancellationToken: cancellationToken).Hits;
                var actual = searcher.Search(header, s_easy, range, cancellationToken: cancellationToken).Hits;
                if (!expected.SequenceEqual(actual))
                    return (false, $"range {range}: {actual.Count} hits, the CPU found {expected.Count}");
                ranges++;
                hits += expected.Count;
            }
        }
        return (true, $"{ranges} ranges incl. both ends of the nonce space, {hits} hits, identical to the CPU");
    }

    private static (bool, string) FullCandidateBuffer(IlgpuNonceSearcher gpu, DeviceId id)
    {
        using var tiny = id.IsCuda
            ? IlgpuNonceSearcher.ForCuda(id.Index, candidateCapacity: 7)
            : IlgpuNonceSearcher.ForCpuAccelerator(candidateCapacity: 7);
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

    // The sampled error of each product against a double-precision reference, relative to Σ|a·b|, must
    // stay within FP32 accumulation's bound γ(3K+2) = (3K+2)·2^-24 (FP16 inputs widen exactly to FP32).
    // Each type is checked on its own, so a kernel that fails to load does not hide the other's result.
    private static (bool, string) Gemm(DeviceId id, CancellationToken cancellationToken)
    {
        var shapes = new[] { new GemmShape(1, 1, 1), new GemmShape(127, 257, 61), id.IsCuda ? new GemmShape(4096, 4096, 4096) : new GemmShape(96, 96, 96) };
        using var multiplier = new Owned<IMatrixMultiplier>(MatrixMultipliers.Create(id));
        var details = new List<string>();
        bool ok = true;
        foreach (var type in new[] { GemmDataType.Fp32, GemmDataType.Fp16 })
        {
            string name = type.ToString().ToLowerInvariant();
            try
            {
                double worst = 0;
                string? failure = null;
                foreach (var shape in shapes)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var measured = GemmMeasurement.Run(multiplier.Value, shape, type, cancellationToken: cancellationToken);
                    double bound = (3.0 * shape.K + 2) * Math.Pow(2, -24);
                    if (!(measured.MaxRelativeError <= bound))
                    {
                        failure = $"{name} {shape.M}x{shape.N}x{shape.K}: relative error {measured.MaxRelativeError:E2} exceeds {bound:E2}";
                        break;
                    }
                    worst = Math.Max(worst, measured.MaxRelativeError / bound);
                }
                ok &= failure is null;
                details.Add(failure ?? $"{name} worst error {worst:P1} of the FP32 rounding bound");
            }
            catch (GpuException ex)
            {
                ok = false;
                details.Add($"{name} failed: {ex.Message.ReplaceLineEndings(" ")}");
            }
        }
        return (ok, $"{string.Join(", ", shapes.Select(s => $"{s.M}x{s.N}x{s.K}"))}: {string.Join("; ", details)}");
    }

    private static IReadOnlyList<KnownBlock> RealBlocks(FileInfo? file, int sample, out string source)
    {
        string? path = file?.FullName;
        if (path is null)
        {
            string shared = Path.Combine("..", "shared", "data", "bitcoin-mainnet-headers.csv");
            path = File.Exists(shared) ? shared : null;
        }
        if (path is null)
        {
            source = "the built-in blocks";
            return KnownHeaders.All;
        }
        if (!File.Exists(path))
            throw new ArgumentException($"--headers: {path} does not exist.");
        var rows = File.ReadLines(path).Skip(1).Where(l => l.Length > 0).ToArray();
        int step = Math.Max(1, rows.Length / sample);
        source = path;
        return [.. rows.Where((_, i) => i % step == 0).Take(sample).Select(line =>
        {
            var fields = line.Split(',');
            if (fields.Length < 3)
                throw new FormatException($"{path}: expected height,header_hex,block_hash,...; got \"{line[..Math.Min(line.Length, 60)]}\".");
            return new KnownBlock(int.Parse(fields[0]), BlockHeader.Parse(fields[1]), UInt256.Parse(fields[2]));
        })];
    }

    private static void WriteJson(TextWriter output, string device, List<Check> checks, bool cancelled)
    {
        Options.WriteJson(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("device", device);
            writer.WriteBoolean("ok", !cancelled && checks.TrueForAll(c => c.Ok));
            writer.WriteBoolean("cancelled", cancelled);
            writer.WriteStartArray("checks");
            foreach (var (name, ok, detail, _) in checks)
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteString("status", ok ? "ok" : "failed");
                writer.WriteString("detail", detail);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }
}
