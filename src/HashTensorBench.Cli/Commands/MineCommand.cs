using System.CommandLine;
using System.Globalization;
using HashTensorBench.Devices;
using HashTensorBench.Mining;
using HashTensorBench.Mining.Stratum;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// <c>htb mine --pool stratum+tcp://HOST:PORT [--pool BACKUP …] --user USER [--password X] [--device D] [--seconds S]</c>:
/// mines a pool's jobs on the chosen devices, failing over to the next pool in order, printing each share and the pool's
/// answer, then the hash rate and the effective hash rate the accepted shares prove.
/// </summary>
internal static class MineCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock)
    {
        // The pool's reader, the search and the status timer all write.
        output = TextWriter.Synchronized(output);
        error = TextWriter.Synchronized(error);
        var pool = new Option<StratumUrl[]>("--pool")
        {
            Description = "The pool: stratum+tcp://HOST:PORT, or stratum+ssl://HOST:PORT for TLS. Give it again for pools to fail over to, in order.",
            Required = true,
            CustomParser = result =>
            {
                var urls = new List<StratumUrl>();
                foreach (var token in result.Tokens)
                {
                    try
                    {
                        urls.Add(StratumUrl.Parse(token.Value));
                    }
                    catch (FormatException ex)
                    {
                        result.AddError($"--pool: {ex.Message}");
                        return [];
                    }
                }
                return [.. urls];
            },
        };
        var user = new Option<string>("--user") { Description = "The worker name (often ADDRESS.WORKER).", Required = true };
        var password = new Option<string>("--password") { Description = "The worker password.", DefaultValueFactory = _ => "x" };
        var device = Options.Device("Where to hash. Default: every GPU, or the CPU when there is none.", DeviceId.EveryGpu);
        var seconds = Options.Integer("--seconds", "How long to mine; 0 (the default) mines until Ctrl+C.", 0, 365L * 24 * 3600, defaultValue: 0);
        var command = new Command("mine", "Mine on a Stratum V1 pool: jobs, shares, version rolling.") { pool, user, password, device, seconds };
        command.Validators.Add(result =>
        {
            if (result.GetResult(user) is { } given && string.IsNullOrWhiteSpace(given.GetValueOrDefault<string>()))
                result.AddError("--user must not be empty.");
        });
        command.SetAction(async (result, cancellationToken) =>
        {
            using var devices = ComputeDevices.Open(result.GetValue(device), n => error.WriteLine($"htb: {n}"));
            using var searcher = devices.CreateSearcher(notice: n => error.WriteLine($"htb: {n}"));
            var pools = result.GetValue(pool)!;
            var options = new StratumClientOptions(pools[0], result.GetValue(user)!, result.GetValue(password)!) { Failover = pools[1..] };
            var client = new StratumClient(options, line => error.WriteLine($"htb: pool: {line}"));
            var miner = new StratumMiner(client, searcher, devices.PreferredChunk, log: line => error.WriteLine($"htb: {line}"),
                onShare: (share, answer) => WriteShare(output, share, answer), time: clock);
            long limit = result.GetValue(seconds);
            string failover = pools.Length > 1 ? $" (then {string.Join(", ", pools[1..].Select(p => p.ToString()))})" : "";
            error.WriteLine($"htb: mining on {searcher.Name} at {options.Url}{failover} as {options.User}{(limit > 0 ? $" for {limit} s" : "; Ctrl+C stops")}.");
            using var status = new CancellationTokenSource();
            var reporting = ReportAsync(output, miner, status.Token);
            try
            {
                var stats = await miner.MineAsync(limit > 0 ? TimeSpan.FromSeconds(limit) : null, cancellationToken);
                WriteSummary(output, stats);
                return 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                WriteSummary(output, miner.Statistics);
                throw;
            }
            finally
            {
                await status.CancelAsync();
                await reporting;
            }
        });
        return command;
    }

    private static void WriteShare(TextWriter output, Share share, ShareResult answer)
    {
        string status = answer.Status.ToString().ToLowerInvariant();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"share {status,-10} job {share.JobId} nonce {share.Nonce:x8} version {share.Version:x8} difficulty {share.Difficulty:G4}{(share.IsBlock ? " BLOCK" : "")}{(answer.Reason is { } reason ? $" ({reason})" : "")}"));
    }

    private static async Task ReportAsync(TextWriter output, StratumMiner miner, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var stats = miner.Statistics;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"rate  {Rate(stats.HashesPerSecond)}, effective {Rate(stats.EffectiveHashesPerSecond)}; {stats.Accepted} accepted, {stats.Rejected} rejected after {stats.Elapsed.TotalSeconds:F0} s"));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void WriteSummary(TextWriter output, MiningStatistics stats)
    {
        output.WriteLine($"device     {stats.Device}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hashes     {stats.Hashes:N0} in {stats.Elapsed.TotalSeconds:F1} s: {Rate(stats.HashesPerSecond)}"));
        output.WriteLine($"shares     {stats.Accepted} accepted, {stats.Rejected} rejected, {stats.Unanswered} unanswered, {stats.Stale} stale; {stats.Blocks} blocks");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"effective  {Rate(stats.EffectiveHashesPerSecond)} from accepted shares (total difficulty {stats.AcceptedDifficulty:G6})"));
        if (stats.FailedChecks > 0)
            output.WriteLine($"checks     {stats.FailedChecks} hits from the device did not check on the CPU and were not submitted");
    }

    private static string Rate(double hashesPerSecond) => hashesPerSecond switch
    {
        >= 1e12 => string.Create(CultureInfo.InvariantCulture, $"{hashesPerSecond / 1e12:F2} TH/s"),
        >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{hashesPerSecond / 1e9:F2} GH/s"),
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{hashesPerSecond / 1e6:F2} MH/s"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{hashesPerSecond / 1e3:F2} kH/s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{hashesPerSecond:F0} H/s"),
    };
}
