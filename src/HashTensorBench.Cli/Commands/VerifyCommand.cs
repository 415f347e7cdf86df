using System.CommandLine;
using HashTensorBench.Bitcoin;
using HashTensorBench.Devices;
using HashTensorBench.Platform.Cuda;

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

    public static Command Create(TextWriter output)
    {
        var device = Options.Device("The device to check; gpu checks each CUDA device in turn and, unlike elsewhere, fails when there is none.", defaultValue: null);
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
            // gpu checks each CUDA device in turn: one block of lines, or one line of JSON, per device. A GPU that is
            // missing is exit 3 at once: checking the CPU in its place would accept a node whose driver is broken.
            int exitCode = 0;
            foreach (var id in result.GetValue(device).ExpandPresent())
                exitCode = Math.Max(exitCode, Verify(id, blocks, source, output, asJson, cancellationToken));
            return Task.FromResult(exitCode);
        });
        return command;
    }

    // The checks of one device, printed as each ends; its exit code (a device that could not be used at all throws
    // its GpuException: exit 3).
    private static int Verify(DeviceId id, IReadOnlyList<KnownBlock> blocks, string source, TextWriter output, bool asJson,
        CancellationToken cancellationToken)
    {
        var checks = new List<VerificationCheck>();
        try
        {
            foreach (var check in DeviceVerification.Run(id, blocks, source,
                (name, run) => Options.WithProgress(output, asJson, $"verify {id}: {name}", _ => run()), cancellationToken))
            {
                checks.Add(check);
                if (!asJson)
                    output.WriteLine($"{(check.Ok ? "ok  " : "FAIL")}  {check.Name}: {check.Detail}");
            }
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
        if (checks.TrueForAll(c => c.Error is GpuException))
            throw checks[0].Error!;
        return checks.TrueForAll(c => c.Ok) ? 0 : Failed;
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
        if (Directory.Exists(path))
            throw new ArgumentException($"--headers: {path} is a folder, not a file; give a CSV of headers.");
        if (!File.Exists(path))
            throw new ArgumentException($"--headers: {path} does not exist.");
        source = path;
        try
        {
            return [.. HeaderCsv.Sample(path, sample).Select(row => row.ToBlock())];
        }
        catch (FormatException ex)
        {
            throw new FormatException($"--headers: {ex.Message}", ex);
        }
    }

    private static void WriteJson(TextWriter output, string device, List<VerificationCheck> checks, bool cancelled)
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
