using System.Globalization;
using System.Text.Json;
using HashTensorBench.Mining;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// What <c>htb mine</c> prints on standard output: lines for a person, or with <c>--json</c> one JSON object per line, each
/// named by its <c>event</c> (<c>job</c>, <c>share</c>, <c>rate</c>, <c>summary</c>) and stamped with the app's clock.
/// </summary>
internal sealed class MineEvents(TextWriter output, bool json, TimeProvider clock)
{
    /// <summary>Whether the events are JSON lines.</summary>
    public bool Json => json;

    /// <summary>New work from the pool; a person reads it in the pool's log on standard error instead.</summary>
    public void Job(MiningWork work)
    {
        if (json)
        {
            Write("job", writer =>
            {
                writer.WriteString("job", work.Job.JobId);
                writer.WriteNumber("work", work.Generation);
                writer.WriteNumber("difficulty", work.Difficulty);
                writer.WriteBoolean("clean", work.Job.CleanJobs);
            });
        }
    }

    /// <summary>A share and the pool's answer.</summary>
    public void Share(Share share, ShareResult answer)
    {
        string status = answer.Status.ToString().ToLowerInvariant();
        if (json)
        {
            Write("share", writer =>
            {
                writer.WriteString("status", status);
                writer.WriteString("job", share.JobId);
                writer.WriteString("nonce", share.Nonce.ToString("x8", CultureInfo.InvariantCulture));
                writer.WriteString("version", share.Version.ToString("x8", CultureInfo.InvariantCulture));
                writer.WriteNumber("difficulty", share.Difficulty);
                writer.WriteBoolean("block", share.IsBlock);
                writer.WriteString("reason", answer.Reason);
            });
            return;
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"share {status,-10} job {share.JobId} nonce {share.Nonce:x8} version {share.Version:x8} difficulty {share.Difficulty:G4}{(share.IsBlock ? " BLOCK" : "")}{(answer.Reason is { } reason ? $" ({reason})" : "")}"));
    }

    /// <summary>The rates and counts so far, every interval while mining.</summary>
    public void Rate(MiningStatus status)
    {
        if (json)
        {
            Write("rate", status.WriteProperties);
            return;
        }
        var stats = status.Statistics;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rate  {HashRate(stats.HashesPerSecond)}, effective {HashRate(stats.EffectiveHashesPerSecond)}; {stats.Accepted} accepted, {stats.Rejected} rejected after {stats.Elapsed.TotalSeconds:F0} s"));
    }

    /// <summary>The whole run's counts, when it ends or is stopped.</summary>
    public void Summary(MiningStatus status)
    {
        if (json)
        {
            Write("summary", status.WriteProperties);
            return;
        }
        var stats = status.Statistics;
        output.WriteLine($"device     {stats.Device}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hashes     {stats.Hashes:N0} in {stats.Elapsed.TotalSeconds:F1} s: {HashRate(stats.HashesPerSecond)}"));
        output.WriteLine($"shares     {stats.Accepted} accepted, {stats.Rejected} rejected, {stats.Unanswered} unanswered, {stats.Stale} stale; {stats.Blocks} blocks");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"effective  {HashRate(stats.EffectiveHashesPerSecond)} from accepted shares (total difficulty {stats.AcceptedDifficulty:G6})"));
        if (stats.FailedChecks > 0)
            output.WriteLine($"checks     {stats.FailedChecks} hits from the device did not check on the CPU and were not submitted");
    }

    private void Write(string name, Action<Utf8JsonWriter> properties) => Options.WriteJson(output, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("event", name);
        writer.WriteString("time", clock.GetUtcNow());
        properties(writer);
        writer.WriteEndObject();
    });

    private static string HashRate(double hashesPerSecond) => hashesPerSecond switch
    {
        >= 1e12 => string.Create(CultureInfo.InvariantCulture, $"{hashesPerSecond / 1e12:F2} TH/s"),
        >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{hashesPerSecond / 1e9:F2} GH/s"),
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{hashesPerSecond / 1e6:F2} MH/s"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{hashesPerSecond / 1e3:F2} kH/s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{hashesPerSecond:F0} H/s"),
    };
}
