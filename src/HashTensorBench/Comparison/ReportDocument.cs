namespace HashTensorBench.Comparison;

/// <summary>One figure of <c>report.json</c>.</summary>
/// <param name="Value">Null when unknown.</param>
/// <param name="Unit">Such as <c>W</c> or <c>USD/day</c>.</param>
/// <param name="Source"><c>measured</c>, <c>unavailable</c>, <c>derived</c>, <c>given</c>, <c>default</c> or <c>user</c>.</param>
/// <param name="Note">The arithmetic, the reading's source, or why it is unavailable; null when the report says nothing.</param>
public sealed record ReportFigure(double? Value, string Unit, string Source, string? Note)
{
    /// <summary>The value when it was measured (not derived, given or unavailable); else null.</summary>
    public double? Measured => Source == "measured" ? Value : null;
}

/// <summary>One market input of <c>report.json</c>.</summary>
/// <param name="Name">The input in words.</param>
/// <param name="Figure">Its value, unit and source; the note is who published it, the arithmetic or the reason.</param>
/// <param name="AsOf">The date a default, user or measured value is as of; null for others.</param>
public sealed record ReportInput(string Name, ReportFigure Figure, string? AsOf);

/// <summary>One workload of a device in <c>report.json</c>: its figures when measured, else why it has none.</summary>
/// <param name="Workload">Such as <c>sha256d</c>.</param>
/// <param name="Status"><c>measured</c> or <c>unavailable</c>.</param>
/// <param name="Reason">Why it has no measurement; null when measured.</param>
/// <param name="Implementation">The kernel and device that ran it; null when unavailable.</param>
/// <param name="Work">The work done (H, FLOP or OP).</param>
/// <param name="Seconds">The energy window.</param>
/// <param name="Rate">The median window's rate.</param>
/// <param name="Joules">The energy counted.</param>
/// <param name="Watts">The average power.</param>
/// <param name="PerJoule">Work per joule.</param>
public sealed record ReportWorkload(string Workload, string Status, string? Reason, string? Implementation, ReportFigure? Work, ReportFigure? Seconds,
    ReportFigure? Rate, ReportFigure? Joules, ReportFigure? Watts, ReportFigure? PerJoule)
{
    /// <summary>Whether it ran to a measurement.</summary>
    public bool IsMeasured => Status == "measured";
}

/// <summary>One use (hashing or AI) priced.</summary>
/// <param name="Watts">The power that prices its electricity.</param>
/// <param name="Revenue">USD per day.</param>
/// <param name="Electricity">USD per day.</param>
/// <param name="Profit">USD per day.</param>
/// <param name="ProfitPerMWh">USD per MWh drawn.</param>
public sealed record ReportUse(ReportFigure Watts, ReportFigure Revenue, ReportFigure Electricity, ReportFigure Profit, ReportFigure ProfitPerMWh);

/// <summary>The device's answer.</summary>
/// <param name="Winner"><c>hashing</c> or <c>AI</c>.</param>
/// <param name="Basis"><c>profit</c> or <c>revenue</c>.</param>
/// <param name="BothLoseMoney">Whether both uses cost more than they earn.</param>
/// <param name="AiPricedBy">What AI's price came from, in words.</param>
/// <param name="Margin">How much more the winner earns per day.</param>
/// <param name="BreakEvenBtcPrice">The BTC price at which the uses tie.</param>
/// <param name="BreakEvenRental">The rent at which they tie; null for a device without one.</param>
public sealed record ReportDecision(string Winner, string Basis, bool BothLoseMoney, string AiPricedBy, ReportFigure Margin,
    ReportFigure BreakEvenBtcPrice, ReportFigure? BreakEvenRental);

/// <summary>One device of <c>report.json</c>.</summary>
/// <param name="Id"><c>cpu</c> or <c>cuda:N</c>.</param>
/// <param name="Name">The product name.</param>
/// <param name="Workloads">In the order they ran.</param>
/// <param name="GpuRental">The rent that priced its AI; null for a device without one.</param>
/// <param name="JoulesPerTerahash">The sha256d efficiency.</param>
/// <param name="Hashing">Hashing priced; null without a sha256d measurement.</param>
/// <param name="AiWorkload">The GEMM AI is priced by; null when none (and in reports older than <c>--ai-format</c>).</param>
/// <param name="Ai">AI priced; null without that GEMM.</param>
/// <param name="Decision">Null unless both uses were priced.</param>
public sealed record ReportDevice(string Id, string Name, IReadOnlyList<ReportWorkload> Workloads, ReportInput? GpuRental,
    ReportFigure JoulesPerTerahash, ReportUse? Hashing, string? AiWorkload, ReportUse? Ai, ReportDecision? Decision);

/// <summary><c>report.json</c> as read back: every figure with its unit and source.</summary>
/// <param name="Version">The schema's version (<see cref="ReportJson.Version"/> or older).</param>
/// <param name="Generated">When, as the report says (ISO 8601).</param>
/// <param name="WorkloadSeconds">The time of each workload.</param>
/// <param name="Quick">A <c>--quick</c> smoke run.</param>
/// <param name="Cancelled">Stopped before every workload ran.</param>
/// <param name="Cpu">The CPU, in words.</param>
/// <param name="Cuda">The CUDA devices, or why there are none.</param>
/// <param name="AiFormat">The GEMM element type AI is priced by.</param>
/// <param name="Inputs">The market inputs.</param>
/// <param name="Stale">The defaults older than 90 days, with their age.</param>
/// <param name="UnusedInputs">What the user set that was not used, in words.</param>
/// <param name="Devices">Each device.</param>
public sealed record ReportDocument(int Version, string Generated, double WorkloadSeconds, bool Quick, bool Cancelled, string Cpu, string Cuda,
    string AiFormat, IReadOnlyList<ReportInput> Inputs, IReadOnlyList<(string Input, int AgeDays)> Stale, IReadOnlyList<string> UnusedInputs,
    IReadOnlyList<ReportDevice> Devices)
{
    /// <summary>Why the report is not a node's rate (a <c>--quick</c> run, or one cancelled half-way); null for a full run.</summary>
    public string? Partial => (Quick, Cancelled) switch
    {
        (true, true) => "a --quick run, cancelled",
        (true, false) => "a --quick smoke run (1 s windows, small matrices)",
        (false, true) => "cancelled before every workload ran",
        _ => null,
    };
}
