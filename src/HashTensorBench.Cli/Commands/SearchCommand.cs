using System.CommandLine;
using HashTensorBench.Bitcoin;
using HashTensorBench.Devices;
using HashTensorBench.Hashing;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// <c>htb search --header HEX (--target HEX64 | --bits HEX8) --start N --count N --device cpu [--json]</c>:
/// every nonce in the range whose header hash meets the target.
/// </summary>
internal static class SearchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var header = Options.Header();
        var target = new Option<Target?>("--target")
        {
            Description = "The target as 64 hex digits (display order); a hash meets it when it is at most this.",
            CustomParser = result => Options.Parse(result, text => NonZero(Target.Parse(text))),
        };
        var bits = new Option<Target?>("--bits")
        {
            Description = "The target in compact form, 8 hex digits such as 1d00ffff.",
            CustomParser = result => Options.Parse(result, text => NonZero(Target.ParseCompact(text))),
        };
        var start = Options.Integer("--start", "The first nonce.", 0, uint.MaxValue, defaultValue: 0);
        var count = Options.Integer("--count", "How many nonces to try (the range ends by nonce 4294967295).", 1, NonceRange.NonceCount);
        var device = Options.Device("Where to search; gpu splits the range across every CUDA device.", DeviceId.Cpu);
        var threads = Options.Threads();
        var json = Options.Json();

        var command = new Command("search", "Find every nonce in a range whose block hash meets a target.")
        {
            header, target, bits, start, count, device, threads, json,
        };
        command.Validators.Add(result =>
        {
            bool hasTarget = result.GetResult(target) is not null, hasBits = result.GetResult(bits) is not null;
            if (hasTarget == hasBits)
                result.AddError("Give the target either as --target (64 hex digits) or as --bits (8 hex digits), not both or neither.");
        });
        command.Validators.Add(result => Options.CheckThreadsOnCpu(result, threads, device));
        command.SetAction((result, cancellationToken) =>
        {
            var range = new NonceRange((uint)result.GetValue(start), result.GetValue(count));
            using var devices = ComputeDevices.Open(result.GetValue(device), notice => error.WriteLine($"htb: {notice}"));
            using var searcher = devices.CreateSearcher((int)result.GetValue(threads), notice => error.WriteLine($"htb: {notice}"));
            var found = Options.WithProgress(output, result.GetValue(json), $"search {range.Count:N0} nonces on {searcher.Name}", progress =>
                searcher.Search(result.GetValue(header), (result.GetValue(target) ?? result.GetValue(bits))!.Value, range,
                    new Progress<long>(done => progress.Report((double)done / range.Count)), cancellationToken));
            if (result.GetValue(json))
                WriteJson(output, range, found);
            else
                WriteText(output, range, found);
            return Task.FromResult(0);
        });
        return command;
    }

    // Bitcoin Core's CheckProofOfWork refuses a zero target: no hash meets it, so a search could only burn its range.
    private static Target NonZero(Target target) => target.Value.IsZero
        ? throw new ArgumentException("the target is zero, which no hash meets (Bitcoin Core rejects it).")
        : target;

    private static void WriteText(TextWriter output, NonceRange range, NonceSearchResult found)
    {
        output.WriteLine($"device  {found.Device}");
        output.WriteLine($"range   {range} ({found.Hashes:N0} nonces)");
        output.WriteLine($"time    {found.Elapsed.TotalSeconds:F3} s, {found.HashesPerSecond / 1e6:F2} M hashes/s");
        output.WriteLine($"hits    {found.Hits.Count}");
        foreach (var hit in found.Hits)
            output.WriteLine($"nonce {hit.Nonce,10}  hash {hit.Hash}");
    }

    private static void WriteJson(TextWriter output, NonceRange range, NonceSearchResult found)
    {
        Options.WriteJson(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("device", found.Device);
            writer.WriteNumber("start", range.Start);
            writer.WriteNumber("hashes", found.Hashes);
            writer.WriteNumber("seconds", found.Elapsed.TotalSeconds);
            writer.WriteStartArray("hits");
            foreach (var hit in found.Hits)
            {
                writer.WriteStartObject();
                writer.WriteNumber("nonce", hit.Nonce);
                writer.WriteNumber("version", hit.Version);
                writer.WriteString("hash", hit.Hash.ToString());
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }
}
