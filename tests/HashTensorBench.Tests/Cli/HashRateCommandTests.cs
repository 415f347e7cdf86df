using System.Text.Json;
using HashTensorBench.Hashing.Cpu;

namespace HashTensorBench.Tests.Cli;

/// <summary><c>htb hashrate</c>: the figures of one timed run, each checked against the others it is made from.</summary>
public class HashRateCommandTests
{
    [Fact]
    public void Json_figures_hold_together_for_a_one_second_run_on_the_cpu()
    {
        var run = CliRun.Of("hashrate", "--device", "cpu", "--seconds", "1", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        var workload = Assert.Single(json.RootElement.EnumerateArray().ToArray());
        Assert.Equal("sha256d", workload.GetProperty("workload").GetString());
        Assert.Equal("measured", workload.GetProperty("status").GetString());
        Assert.StartsWith($"cpu/{CpuSha256dKernels.Describe(CpuSha256dKernels.Default, CpuSha256dKernels.Rival)} ", workload.GetProperty("implementation").GetString(), StringComparison.Ordinal);

        double work = workload.GetProperty("work").GetProperty("value").GetDouble();
        double seconds = workload.GetProperty("seconds").GetProperty("value").GetDouble();
        Assert.Equal("H", workload.GetProperty("work").GetProperty("unit").GetString());
        Assert.True(work > 0 && work == Math.Floor(work), $"{work} hashes");
        // --seconds 1 is the least the timed windows run.
        Assert.True(seconds >= 1, $"{seconds} s");

        var rate = workload.GetProperty("rate");
        Assert.Equal("H/s", rate.GetProperty("unit").GetString());
        double median = rate.GetProperty("median").GetDouble(), min = rate.GetProperty("min").GetDouble(), max = rate.GetProperty("max").GetDouble();
        double lower = rate.GetProperty("lower_quartile").GetDouble(), upper = rate.GetProperty("upper_quartile").GetDouble();
        // The quoted rate is the median window's; the sustained one is every hash over every second, which the joules match.
        Assert.Equal(median, rate.GetProperty("value").GetDouble());
        Assert.Equal(work / seconds, rate.GetProperty("sustained").GetDouble(), 1e-9 * work / seconds);
        Assert.True(0 < min && min <= lower && lower <= median && median <= upper && upper <= max, $"{min} {lower} {median} {upper} {max}");
        Assert.Equal((max - min) / median, rate.GetProperty("spread").GetDouble(), 1e-12);
        Assert.Equal((upper - lower) / median, rate.GetProperty("quartile_spread").GetDouble(), 1e-12);
        Assert.True(rate.GetProperty("windows").GetInt32() >= 5);
        Assert.Equal(seconds, rate.GetProperty("seconds").GetDouble(), 1e-9);
        Assert.True(rate.GetProperty("warmup_seconds").GetDouble() >= 0.25);

        // Energy: figures that agree with each other where the machine reads power, and a reason where it does not.
        var joules = workload.GetProperty("joules");
        if (joules.GetProperty("source").GetString() == "unavailable")
        {
            Assert.False(string.IsNullOrWhiteSpace(joules.GetProperty("reason").GetString()));
            Assert.Equal(JsonValueKind.Null, workload.GetProperty("watts").GetProperty("value").ValueKind);
            Assert.Equal(JsonValueKind.Null, workload.GetProperty("per_joule").GetProperty("value").ValueKind);
        }
        else
        {
            double j = joules.GetProperty("value").GetDouble();
            Assert.True(j > 0 && workload.GetProperty("watts").GetProperty("value").GetDouble() > 0);
            Assert.Equal(work / j, workload.GetProperty("per_joule").GetProperty("value").GetDouble(), 1e-6 * work / j);
        }
        Assert.Equal(Environment.ProcessorCount, workload.GetProperty("machine_load").GetProperty("logical_processors").GetInt32());
    }
}
