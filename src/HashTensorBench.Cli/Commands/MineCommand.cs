using System.CommandLine;
using System.Net;
using HashTensorBench.Devices;
using HashTensorBench.Mining;
using HashTensorBench.Mining.Stratum;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// <c>htb mine --pool stratum+tcp://HOST:PORT [--pool BACKUP …] --user USER [--password X] [--device D] [--seconds S] [--json]
/// [--api-bind [HOST:]PORT]</c>: mines a pool's jobs on the chosen devices, failing over to the next pool in order, printing
/// each share and the pool's answer, then the hash rate and the effective hash rate the accepted shares prove; with
/// <c>--api-bind</c> a read-only stats endpoint serves the same figures while it mines.
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
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line (job, share, rate and summary events) instead of text." };
        var apiBind = ApiBindOption();
        var command = new Command("mine", "Mine on a Stratum V1 pool: jobs, shares, version rolling.") { pool, user, password, device, seconds, json, apiBind };
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
            var events = new MineEvents(output, result.GetValue(json), clock);
            var miner = new StratumMiner(client, searcher, devices.PreferredChunk, log: line => error.WriteLine($"htb: {line}"),
                onShare: events.Share, time: clock);
            long limit = result.GetValue(seconds);
            string failover = pools.Length > 1 ? $" (then {string.Join(", ", pools[1..].Select(p => p.ToString()))})" : "";
            error.WriteLine($"htb: mining on {searcher.Name} at {options.Url}{failover} as {options.User}{(limit > 0 ? $" for {limit} s" : "; Ctrl+C stops")}.");
            await using var api = StartApi(result.GetValue(apiBind), miner, client, error);
            using var status = new CancellationTokenSource();
            var reporting = ReportAsync(events, miner, client, clock, status.Token);
            try
            {
                var stats = await miner.MineAsync(limit > 0 ? TimeSpan.FromSeconds(limit) : null, cancellationToken);
                events.Summary(new MiningStatus(stats, client.Pool, client.CurrentWork?.Job.JobId));
                return 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                events.Summary(MiningStatus.Of(miner, client));
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

    // --api-bind [HOST:]PORT: loopback unless a host is given; port 0 takes any free port, which the start line names.
    private static Option<IPEndPoint?> ApiBindOption() => new("--api-bind")
    {
        Description = "Serve read-only stats as JSON (GET /stats) on [HOST:]PORT while mining; HOST is 127.0.0.1 unless given, port 0 picks a free one.",
        CustomParser = result =>
        {
            try
            {
                return MiningStatsServer.ParseEndpoint(result.Tokens.Count == 1 ? result.Tokens[0].Value : "");
            }
            catch (FormatException ex)
            {
                result.AddError($"--api-bind: {ex.Message}");
                return null;
            }
        },
    };

    private static MiningStatsServer? StartApi(IPEndPoint? endpoint, StratumMiner miner, StratumClient client, TextWriter error)
    {
        if (endpoint is null)
            return null;
        var server = MiningStatsServer.Start(endpoint, () => MiningStatus.Of(miner, client));
        string host = server.Endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{server.Endpoint.Address}]" : server.Endpoint.Address.ToString();
        error.WriteLine($"htb: stats at http://{host}:{server.Endpoint.Port}/stats{(IPAddress.IsLoopback(server.Endpoint.Address) ? "" : ", readable from other machines")}.");
        return server;
    }

    // Every 10 s of the app's clock a rate line, and with --json each new work as it comes.
    private static async Task ReportAsync(MineEvents events, StratumMiner miner, StratumClient client, TimeProvider clock, CancellationToken cancellationToken)
    {
        var jobs = events.Json ? WatchJobsAsync(events, client, cancellationToken) : Task.CompletedTask;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
                events.Rate(MiningStatus.Of(miner, client));
        }
        catch (OperationCanceledException)
        {
        }
        await jobs;
    }

    private static async Task WatchJobsAsync(MineEvents events, StratumClient client, CancellationToken cancellationToken)
    {
        long generation = 0;
        try
        {
            while (true)
            {
                var work = await client.WaitForWorkAsync(generation, cancellationToken);
                generation = work.Generation;
                events.Job(work);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
