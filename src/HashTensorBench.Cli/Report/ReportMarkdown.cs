using System.Globalization;
using System.Text;
using HashTensorBench.Comparison;
using HashTensorBench.Economics;
using HashTensorBench.Workloads;

namespace HashTensorBench.Cli.Report;

/// <summary>The report as Markdown: what was measured, what each use earns, the arithmetic, and every input.</summary>
internal static class ReportMarkdown
{
    public static string Write(ComparisonReport report)
    {
        var md = new StringBuilder();
        md.AppendLine("# Hash or AI? — htb compare").AppendLine();
        md.AppendLine(report.Cancelled
            ? $"Generated {report.Generated:yyyy-MM-dd HH:mm} UTC{(report.Quick ? ", quick run" : "")}; each workload was to run for {report.WorkloadDuration.TotalSeconds:F0} s (the run was stopped: see each rate's windows)."
            : $"Generated {report.Generated:yyyy-MM-dd HH:mm} UTC{(report.Quick ? ", quick run" : "")}; each workload ran for {report.WorkloadDuration.TotalSeconds:F0} s.");
        if (report.Quick)
            md.AppendLine().AppendLine("**A smoke run (--quick): 1 s per workload and small matrices. Do not quote these figures.**");
        if (report.Cancelled)
            md.AppendLine().AppendLine("**Stopped early (Ctrl+C): only what was measured before is reported.**");
        if (ReportFormat.StaleWarning(report.Ages) is { } stale)
            md.AppendLine().AppendLine($"**{stale}.**");
        foreach (string unused in report.Unused)
            md.AppendLine().AppendLine($"**warning: {unused}.**");
        md.AppendLine().AppendLine($"- CPU: {report.Cpu}").AppendLine($"- CUDA: {report.CudaSummary}").AppendLine();

        md.AppendLine("## Measured").AppendLine();
        md.AppendLine("| device | workload | implementation | rate | power | per joule |");
        md.AppendLine("|---|---|---|---:|---|---:|");
        // Why power is unavailable is written once, under the table, each reason numbered.
        var reasons = new List<string>();
        string Power(TimedRun run)
        {
            if (run.Energy.UnavailableReason is not { } reason)
                return ReportFormat.Watts(run);
            int index = reasons.IndexOf(reason);
            if (index < 0)
            {
                reasons.Add(reason);
                index = reasons.Count - 1;
            }
            return $"unavailable [{index + 1}]";
        }
        foreach (var device in report.Devices)
        {
            foreach (var w in device.Workloads)
            {
                md.AppendLine(w.Run is { } run
                    ? $"| {device.Id} | {w.Workload} | {run.Device} | {ReportFormat.RateWithSpread(run)} | {Power(run)} | {ReportFormat.PerJoule(run)} |"
                    : $"| {device.Id} | {w.Workload} | | unavailable: {w.Error} | | |");
            }
        }
        if (reasons.Count > 0)
            md.AppendLine();
        for (int i = 0; i < reasons.Count; i++)
            md.AppendLine($"[{i + 1}] Power unavailable: {reasons[i]}.{(i < reasons.Count - 1 ? "  " : "")}");
        var warnings = report.Devices.SelectMany(d => d.Workloads.Where(w => w.Run is not null)
            .SelectMany(w => w.Run!.Warnings.Select(warning => $"{d.Id} {w.Workload}: {warning}"))).ToList();
        if (warnings.Count > 0)
        {
            md.AppendLine().AppendLine("**Noise: these figures may not repeat.**").AppendLine();
            foreach (string warning in warnings)
                md.AppendLine($"- {warning}");
        }

        md.AppendLine().AppendLine("## Per day").AppendLine();
        md.AppendLine($"AI is priced by the {report.AiFormat.Description} GEMM (`--ai-format`): its power on every device, and its rate where a device has no rent of its own.").AppendLine();
        md.AppendLine("| device | use | revenue (USD) | electricity (USD) | profit (USD) | profit per MWh (USD) |");
        md.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var device in report.Devices)
        {
            foreach (var use in new[] { device.Hashing, device.Ai })
            {
                if (use is not null)
                    md.AppendLine($"| {device.Id} | {use.Use} | {ReportFormat.Usd(use.Revenue)} | {ReportFormat.Usd(use.Electricity)} | {ReportFormat.Usd(use.Profit)} | {ReportFormat.Usd(use.ProfitPerMWh)} |");
            }
        }

        md.AppendLine().AppendLine("## The answer").AppendLine();
        foreach (var device in report.Devices)
            md.AppendLine($"- **{device.Id}** ({device.Name}): {Verdict(device)}");

        md.AppendLine().AppendLine("## Efficiency against ASICs").AppendLine();
        md.AppendLine("| machine | TH/s | J/TH |").AppendLine("|---|---:|---:|");
        foreach (var device in report.Devices.Where(d => d.HashRun is not null))
            md.AppendLine($"| {device.Id} ({device.Name}) | {device.HashRun!.Rate / 1e12:G3} | {(device.JoulesPerTerahash is double j ? $"{j:N0}" : "unavailable (power not measured)")} |");
        foreach (var asic in MarketReferences.Asics)
            md.AppendLine($"| {asic.Model} ({asic.Released}) | {asic.TerahashesPerSecond:G} | {asic.JoulesPerTerahash:G} |");

        md.AppendLine().AppendLine("## Arithmetic").AppendLine();
        foreach (var device in report.Devices)
        {
            foreach (var use in new[] { device.Hashing, device.Ai })
            {
                if (use is null)
                    continue;
                md.AppendLine($"- {device.Id} {use.Use} revenue: {use.Revenue.Arithmetic}");
                md.AppendLine($"- {device.Id} {use.Use} electricity: {use.Electricity.Arithmetic}");
                md.AppendLine($"- {device.Id} {use.Use} profit: {use.Profit.Arithmetic}");
            }
            if (device.Decision is { } d)
            {
                md.AppendLine($"- {device.Id} break-even BTC price: {d.BreakEvenBtcPrice.Arithmetic}");
                if (d.BreakEvenRentalPerHour is { } rent)
                    md.AppendLine($"- {device.Id} break-even rent: {rent.Arithmetic}");
            }
        }

        md.AppendLine().AppendLine("## Inputs").AppendLine();
        if (report.Defaults is { } defaults)
            md.AppendLine($"Defaults: {defaults.Describe(DateOnly.FromDateTime(report.Generated.UtcDateTime))}.").AppendLine();
        md.AppendLine("| input | value | source |").AppendLine("|---|---|---|");
        foreach (var (definition, input) in report.Inputs.All())
            md.AppendLine($"| {definition.Label} | {Value(definition.Label, input)} | {Source(input)} |");
        foreach (var device in report.Devices.Where(d => d.Inputs.Find(Input.GpuRent) is not null))
            md.AppendLine($"| {device.Id} rental | {Value("rental", device.Inputs.Find(Input.GpuRent)!)} | {Source(device.Inputs.Find(Input.GpuRent)!)} |");
        md.AppendLine().AppendLine($"Charts: {string.Join(", ", ReportCharts.Names.Select(n => $"`{n}`"))} (PNG and SVG)"
            + (ReportCharts.AnyEnergy(report) ? "" : "; no energy was measured, so `efficiency` has no bars, only why")
            + "; the throughput bars' whiskers span the middle half of the timed windows (first to third quartile; the extremes are in the tables). Every figure, with its unit and source, is in `report.json`.");
        return md.ToString();
    }

    public static string Verdict(DeviceResult device)
    {
        if (device.Decision is not { } d)
            return device.Hashing is not null && device.AiWorkload is null && device.Workloads.All(w => w.Run is not null)
                ? "no answer: this device has no GEMM in the AI format (see `--ai-format`)"
                : device.Hashing is null || device.Ai is null
                    ? "no answer: a workload did not complete (see above)"
                    : "no answer";
        string rent = d.BreakEvenRentalPerHour is { UsdPerDay: double r } ? $"; AI matches hashing at a rent of {r:N2} USD/h" : "";
        string btc = d.BreakEvenBtcPrice.UsdPerDay is double p ? $"hashing would match AI at a BTC price of {p:N0} USD" : "";
        string perMWh = d.Hashing.ProfitPerMWh is double h && d.Ai.ProfitPerMWh is double a
            ? $" Per MWh drawn: hashing {ReportFormat.Usd(h)} USD, AI {ReportFormat.Usd(a)} USD."
            : "";
        if (d.BothLoseMoney)
        {
            string at = d.Hashing.Watts == d.Ai.Watts ? Power(d.Hashing) : $"{Power(d.Hashing)} hashing, {Power(d.Ai)} AI";
            return $"**both lose money** at {at}: hashing {ReportFormat.Usd(d.Hashing.Profit)} USD/day, AI {ReportFormat.Usd(d.Ai.Profit)} USD/day "
                + $"({d.Winner} loses {ReportFormat.Usd(d.MarginUsdPerDay)} USD/day less); {btc}{rent}.{perMWh}{BorrowedPrice(device)}";
        }
        return $"**{d.Winner}** earns {ReportFormat.Usd(d.MarginUsdPerDay)} USD/day more (compared by {d.Basis}); {btc}{rent}.{perMWh}{BorrowedPrice(device)}";
    }

    private static string Power(UsePricing use) =>
        $"{use.Watts!.Value.ToString("G4", CultureInfo.InvariantCulture)} W{(use.PowerSource == PowerSource.Given ? " (given)" : "")}";

    /// <summary>
    /// For a device with no rental market of its own (the CPU, a GPU the rent table does not know): its AI
    /// work is priced at another device's price per PFLOP/s-hour (POP/s-hour for INT8), which the verdict must say.
    /// </summary>
    public static string BorrowedPrice(DeviceResult device) => device.Ai is null || device.Inputs.Find(Input.GpuRent) is not null
        ? ""
        : device.AiWorkload?.ElementType?.IsExact == true
            ? $" {device.Id} has no rental market of its own: its INT8 work is priced at {device.Inputs[Input.PopHourPrice].Value:G4} USD per POP/s-hour, an H100's rent over its INT8 rate (an assumption), not a price anyone pays for this device."
            : $" {device.Id} has no rental market of its own: its AI work is priced at {device.Inputs[Input.PflopHourPrice].Value:G4} USD per PFLOP/s-hour, an H100's rent over its measured BF16 rate, not a price anyone pays for this device.";

    /// <summary>
    /// An input's value with its unit, rounded as a reader wants it: money to the cent (a whole number above 1,000),
    /// difficulty in T with what it means, fractions as written.
    /// </summary>
    public static string Value(string name, MarketInput input)
    {
        if (!input.HasValue)
            return $"unavailable ({input.Unit})";
        double v = input.Value;
        if (name == "difficulty")
            return $"{v / 1e12:G5} T (× 2^32 hashes per block on average)";
        string unit = input.Unit.Length == 0 ? "" : " " + input.Unit;
        if (input.Unit.StartsWith("USD", StringComparison.Ordinal))
            return $"{(Math.Abs(v) >= 1000 ? v.ToString("N0", CultureInfo.InvariantCulture) : ReportFormat.Usd(v))}{unit}";
        return $"{v.ToString("G6", CultureInfo.InvariantCulture)}{unit}";
    }

    /// <summary>Where an input came from, in words.</summary>
    public static string Source(MarketInput input) => input.Origin switch
    {
        InputOrigin.User => "set by the user",
        InputOrigin.Measured => $"measured: {input.Source}",
        InputOrigin.Derived => $"derived: {input.Source}",
        InputOrigin.Unavailable => $"unavailable: {input.Source}",
        // "assumption", "datasheet": no date to give.
        // "as of" a date ("2026-06-26", "2025–2026"); a phrase ("since block 840,000 …", "week to …") reads on its own.
        _ when input.AsOf.Length > 0 && char.IsDigit(input.AsOf[0]) => $"default: {input.Source}, as of {input.AsOf}",
        _ => input.AsOf.Any(char.IsDigit) ? $"default: {input.Source}, {input.AsOf}" : $"default: {input.Source}",
    };
}
