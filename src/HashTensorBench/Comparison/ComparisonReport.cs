using HashTensorBench.Devices;
using HashTensorBench.Economics;
using HashTensorBench.Tensors;
using HashTensorBench.Workloads;

namespace HashTensorBench.Comparison;

/// <summary>One workload on one device: its timed run, or why it has none.</summary>
/// <param name="Workload">Such as <c>sha256d</c> or <c>gemm fp32 1024x1024x1024</c>.</param>
/// <param name="Unit">A <see cref="WorkUnits"/> unit: <c>H</c>, <c>FLOP</c> or <c>OP</c>.</param>
/// <param name="ElementType">The GEMM's element type; null for hashing.</param>
/// <param name="Run">The measurement; null when the workload failed or was cancelled.</param>
/// <param name="Error">Why there is no measurement.</param>
public sealed record WorkloadResult(string Workload, string Unit, GemmElementType? ElementType, TimedRun? Run, string? Error);

/// <summary>Everything measured and priced for one device.</summary>
/// <param name="Id"><c>cpu</c> or <c>cuda:N</c>.</param>
/// <param name="Name">The product name.</param>
/// <param name="Workloads">The workloads in the order they ran.</param>
/// <param name="Inputs">The market inputs used for this device (the GPU rental price is per device).</param>
/// <param name="Hashing">Hashing priced; null without a sha256d measurement.</param>
/// <param name="Ai">AI priced from the GEMM in the report's AI format; null without one.</param>
/// <param name="AiWorkload">The GEMM workload AI is priced from; null when the device has none in that format.</param>
/// <param name="Decision">The comparison; null unless both uses were priced.</param>
/// <param name="JoulesPerTerahash">The sha256d efficiency; null without measured power.</param>
public sealed record DeviceResult(string Id, string Name, IReadOnlyList<WorkloadResult> Workloads, MarketInputs Inputs,
    UsePricing? Hashing, UsePricing? Ai, WorkloadResult? AiWorkload, Decision? Decision, double? JoulesPerTerahash)
{
    /// <summary>The sha256d run, when it completed.</summary>
    public TimedRun? HashRun => Workloads.FirstOrDefault(w => w.Unit == WorkUnits.Hash)?.Run;
}

/// <summary>The whole comparison, as handed to the report exporters.</summary>
/// <param name="Generated">When it finished.</param>
/// <param name="WorkloadDuration">The time of each workload.</param>
/// <param name="Quick">A smoke run.</param>
/// <param name="Cancelled">Stopped by Ctrl+C.</param>
/// <param name="Cpu">The CPU, in words.</param>
/// <param name="CudaSummary">The CUDA devices, or why there are none.</param>
/// <param name="Inputs">The market inputs.</param>
/// <param name="AiFormat">The GEMM element type AI is priced by (the user's choice; BF16 by default).</param>
/// <param name="Devices">Each device's results.</param>
public sealed record ComparisonReport(DateTimeOffset Generated, TimeSpan WorkloadDuration, bool Quick, bool Cancelled,
    string Cpu, string CudaSummary, MarketInputs Inputs, GemmElementType AiFormat, IReadOnlyList<DeviceResult> Devices)
{
    /// <summary>The ages of the dated defaults among <see cref="Inputs"/> on the day the report was generated.</summary>
    public InputAges Ages => InputAges.Of(Inputs.All(), DateOnly.FromDateTime(Generated.UtcDateTime));

    /// <summary>The format AI is priced by when the user names none: BF16, the format most training runs in.</summary>
    public static GemmElementType DefaultAiFormat => GemmElementType.Bf16;

    /// <summary>What the user set that the comparison did not use, each in words; empty when everything was used.</summary>
    public IReadOnlyList<string> Unused
    {
        get
        {
            var unused = new List<string>();
            // Only a GPU is priced by rent (PlanInputs): without one measured, the rent listed among the inputs prices nothing.
            if (Inputs.Find(Input.GpuRent) is { Origin: InputOrigin.User } rent && !Devices.Any(d => d.Inputs.Find(Input.GpuRent) is not null))
                unused.Add(FormattableString.Invariant($"the GPU rent set ({rent.Value:G} USD/h) was not used: no GPU was measured, and the CPU's AI is priced per P{(AiFormat.IsExact ? "OP" : "FLOP")}/s-hour"));
            foreach (var (device, watts) in GivenWatts.Where(g => !Devices.Any(d => d.Id == g.Key.ToString())))
                unused.Add(FormattableString.Invariant($"the power given for {device} ({watts:G} W) was not used: {device} was not measured"));
            return unused;
        }
    }

    /// <summary>The power the user gave per device, which prices its electricity in place of a reading.</summary>
    public IReadOnlyDictionary<DeviceId, double> GivenWatts { get; init; } = new Dictionary<DeviceId, double>();

    /// <summary>The defaults the inputs came from, which the report names with their age; null when not told.</summary>
    public MarketDefaults? Defaults { get; init; }

    /// <summary>
    /// Prices one device: hashing from its sha256d run, AI from its GEMM in <paramref name="aiFormat"/> (a GPU by its
    /// rent, which <see cref="PlanInputs"/> puts in; the CPU, which has no rental market, per PFLOP/s-hour of that rate).
    /// </summary>
    /// <param name="plan">The device.</param>
    /// <param name="workloads">Its results.</param>
    /// <param name="inputs">The common market inputs.</param>
    /// <param name="aiFormat">The GEMM element type AI is priced by.</param>
    /// <param name="givenWatts">The device's power as the user gives it: it prices both uses' electricity in place of the
    /// readings (the measured watts stay in the runs).</param>
    public static DeviceResult Price(DevicePlan plan, IReadOnlyList<WorkloadResult> workloads, MarketInputs inputs, GemmElementType aiFormat,
        double? givenWatts = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Price(plan.Id.ToString(), plan.Name, workloads, PlanInputs(plan, inputs), aiFormat, givenWatts);
    }

    /// <summary>Prices one device with <paramref name="priced"/> as they are (its rent, if any, already in).</summary>
    public static DeviceResult Price(string id, string name, IReadOnlyList<WorkloadResult> workloads, MarketInputs priced, GemmElementType aiFormat,
        double? givenWatts = null)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        ArgumentNullException.ThrowIfNull(priced);
        var hash = workloads.FirstOrDefault(w => w.Unit == WorkUnits.Hash)?.Run;
        var aiWorkload = workloads.FirstOrDefault(w => w.ElementType == aiFormat && w.Run is not null);
        var gemm = aiWorkload?.Run;
        var power = givenWatts is null ? PowerSource.Measured : PowerSource.Given;
        var hashing = hash is null ? null : Pricing.Hashing(hash.Rate, givenWatts ?? hash.Energy.AverageWatts, priced, power);
        var ai = gemm is null ? null : Pricing.Ai(gemm.Rate, givenWatts ?? gemm.Energy.AverageWatts, priced, integer: aiFormat.IsExact, power); // exact: INT8, counted in OPs
        var decision = hashing is not null && ai is not null ? Pricing.Decide(hashing, ai, hash!.Rate, priced) : null;
        double? jth = hash is null ? null : Pricing.JoulesPerTerahash(hash.Rate, hash.Energy.AverageWatts);
        return new DeviceResult(id, name, workloads, priced, hashing, ai, aiWorkload, decision, jth);
    }

    /// <summary>
    /// A device is priced with the common inputs and its own rent: the user's <c>--gpu-rent</c>, else its model's typical
    /// price; the CPU has no rental market, so its AI is always priced per PFLOP/s-hour.
    /// </summary>
    public static MarketInputs PlanInputs(DevicePlan plan, MarketInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(inputs);
        if (plan.Id.Kind == DeviceKind.Cpu)
            return inputs.Without(Input.GpuRent);
        var rent = inputs.Find(Input.GpuRent) ?? plan.Rental;
        return rent is null ? inputs : inputs.With(Input.GpuRent, rent);
    }
}
