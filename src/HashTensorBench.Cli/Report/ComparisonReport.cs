using HashTensorBench.Economics;
using HashTensorBench.Workloads;

namespace HashTensorBench.Cli.Report;

/// <summary>One workload on one device: its timed run, or why it has none.</summary>
/// <param name="Workload">Such as <c>sha256d</c> or <c>gemm fp32 1024x1024x1024</c>.</param>
/// <param name="Unit"><c>H</c> or <c>FLOP</c>.</param>
/// <param name="Run">The measurement; null when the workload failed or was cancelled.</param>
/// <param name="Error">Why there is no measurement.</param>
internal sealed record WorkloadResult(string Workload, string Unit, TimedRun? Run, string? Error);

/// <summary>Everything measured and priced for one device.</summary>
/// <param name="Id"><c>cpu</c> or <c>cuda:N</c>.</param>
/// <param name="Name">The product name.</param>
/// <param name="Workloads">The workloads in the order they ran.</param>
/// <param name="Inputs">The market inputs used for this device (the GPU rental price is per device).</param>
/// <param name="Hashing">Hashing priced; null without a sha256d measurement.</param>
/// <param name="Ai">AI priced from the best GEMM run; null without one.</param>
/// <param name="Decision">The comparison; null unless both uses were priced.</param>
/// <param name="JoulesPerTerahash">The sha256d efficiency; null without measured power.</param>
internal sealed record DeviceResult(string Id, string Name, IReadOnlyList<WorkloadResult> Workloads, MarketInputs Inputs,
    UsePricing? Hashing, UsePricing? Ai, Decision? Decision, double? JoulesPerTerahash)
{
    /// <summary>The sha256d run, when it completed.</summary>
    public TimedRun? HashRun => Workloads.FirstOrDefault(w => w.Unit == WorkUnits.Hash)?.Run;

    /// <summary>The GEMM run AI is priced from: the highest FLOP/s (FP16 on GPUs).</summary>
    public WorkloadResult? BestGemm => Workloads.Where(w => w.Unit == WorkUnits.Flop && w.Run is not null).MaxBy(w => w.Run!.Rate);
}

/// <summary>The whole comparison, as written to the report folder.</summary>
internal sealed record ComparisonReport(DateTimeOffset Generated, TimeSpan WorkloadDuration, bool Quick, bool Cancelled,
    string Cpu, string CudaSummary, MarketInputs Inputs, IReadOnlyList<DeviceResult> Devices)
{
    /// <summary>A device is priced with these inputs: the common ones, and its own rental price when it has one.</summary>
    public static DeviceResult Price(string id, string name, IReadOnlyList<WorkloadResult> workloads, MarketInputs inputs)
    {
        var hash = workloads.FirstOrDefault(w => w.Unit == WorkUnits.Hash)?.Run;
        var gemm = workloads.Where(w => w.Unit == WorkUnits.Flop && w.Run is not null).MaxBy(w => w.Run!.Rate)?.Run;
        var hashing = hash is null ? null : Pricing.Hashing(hash.Rate, hash.Energy.AverageWatts, inputs);
        var ai = gemm is null ? null : Pricing.Ai(gemm.Rate, gemm.Energy.AverageWatts, inputs);
        var decision = hashing is not null && ai is not null ? Pricing.Decide(hashing, ai, hash!.Rate, inputs) : null;
        double? jth = hash is null ? null : Pricing.JoulesPerTerahash(hash.Rate, hash.Energy.AverageWatts);
        return new DeviceResult(id, name, workloads, inputs, hashing, ai, decision, jth);
    }
}
