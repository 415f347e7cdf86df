using System.Text.Json;
using HashTensorBench.Mining.Stratum;

namespace HashTensorBench.Mining;

/// <summary>What a miner is doing now: its counts, the pool it is connected to and the job it searches.</summary>
/// <param name="Statistics">The miner's counts so far.</param>
/// <param name="Pool">The pool connected now; null between connections.</param>
/// <param name="JobId">The job searched now; null before the first job and between connections.</param>
public sealed record MiningStatus(MiningStatistics Statistics, StratumUrl? Pool, string? JobId)
{
    /// <summary>The status of <paramref name="miner"/> mining the work of <paramref name="client"/>.</summary>
    public static MiningStatus Of(StratumMiner miner, StratumClient client)
    {
        ArgumentNullException.ThrowIfNull(miner);
        ArgumentNullException.ThrowIfNull(client);
        return new MiningStatus(miner.Statistics, client.Pool, client.CurrentWork?.Job.JobId);
    }

    /// <summary>
    /// Writes the status as properties of the JSON object open in <paramref name="writer"/>: rates in hashes per second,
    /// times in seconds, the names <c>htb mine --json</c> and the stats endpoint share.
    /// </summary>
    public void WriteProperties(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var stats = Statistics;
        writer.WriteString("device", stats.Device);
        writer.WriteString("pool", Pool?.ToString());
        writer.WriteString("job", JobId);
        writer.WriteNumber("uptime_seconds", stats.Elapsed.TotalSeconds);
        writer.WriteNumber("hashes", stats.Hashes);
        writer.WriteNumber("hashrate", stats.HashesPerSecond);
        writer.WriteNumber("effective_hashrate", stats.EffectiveHashesPerSecond);
        writer.WriteNumber("accepted", stats.Accepted);
        writer.WriteNumber("rejected", stats.Rejected);
        writer.WriteNumber("unanswered", stats.Unanswered);
        writer.WriteNumber("stale", stats.Stale);
        writer.WriteNumber("blocks", stats.Blocks);
        writer.WriteNumber("failed_checks", stats.FailedChecks);
        writer.WriteNumber("accepted_difficulty", stats.AcceptedDifficulty);
    }
}
