using HashTensorBench.Economics;
using HashTensorBench.Economics.Site;

namespace HashTensorBench.Cli.Report;

/// <summary>The site decision as written to the report folder: the plan, the devices it was measured on, the sweeps.</summary>
/// <param name="Generated">When.</param>
/// <param name="Defaults">The defaults file used.</param>
/// <param name="Today">The day the defaults' ages are counted to.</param>
/// <param name="Merged">The compare reports merged; null without <c>--reports</c>.</param>
/// <param name="Model">The GPU model the plan uses from <paramref name="Merged"/>.</param>
/// <param name="Plan">The per-MW plan.</param>
/// <param name="ByBtcPrice">Profit per MW per year against the BTC price: the table's rows.</param>
/// <param name="ByRentTimesUtilisation">Profit per MW per year against rent × utilisation: the table's rows.</param>
internal sealed record SiteReport(DateTimeOffset Generated, MarketDefaults Defaults, DateOnly Today, MergedReports? Merged, ModelSummary? Model,
    SitePlan Plan, IReadOnlyList<SensitivityPoint> ByBtcPrice, IReadOnlyList<SensitivityPoint> ByRentTimesUtilisation)
{
    /// <summary>Scenario keys and their short names, in column order.</summary>
    public static IReadOnlyList<(string Key, string Short)> Columns { get; } =
    [
        (SiteAnalysis.Mining, "ASIC mining"),
        (SiteAnalysis.GpuCloud, "GPU cloud"),
        (SiteAnalysis.Colocation, "AI colocation"),
        (SiteAnalysis.GpuHashing, "GPU hashing"),
    ];

    /// <summary>The dated defaults in use (not overridden) older than 90 days, oldest first.</summary>
    public IReadOnlyList<(string Key, int AgeDays)> Stale =>
        [.. Ages.Where(a => a.AgeDays > MarketDefaults.StaleAfterDays).OrderByDescending(a => a.AgeDays)];

    /// <summary>The age of every dated default in use.</summary>
    public IReadOnlyList<(string Key, int AgeDays)> Ages =>
        [.. Plan.Inputs.All().Select(i => (i.Key, Age: i.Input.AgeDays(Today))).Where(i => i.Age is not null).Select(i => (i.Key, i.Age!.Value))];

    /// <summary>Builds the report: the plan and both sweeps (table rows at round values, the current one and the break-evens).</summary>
    public static SiteReport Create(DateTimeOffset generated, MarketDefaults defaults, MergedReports? merged, ModelSummary? model, SiteInputs inputs)
    {
        var plan = SiteAnalysis.Analyze(inputs);
        double price = inputs.Market.BtcPrice.Value;
        double[] btc = [.. new double[] { 20_000, 40_000, 80_000, 100_000, 150_000, 200_000, 300_000, 500_000, 1_000_000, 2_000_000, price }
            .Concat(new[] { plan.BreakEven.BtcPriceVsColocation.Value, plan.BreakEven.BtcPriceVsGpuCloud.Value }.OfType<double>().Where(p => p > 0))
            .Select(p => Math.Round(p)).Distinct().Order()];
        double effective = inputs.GpuRent.HasValue ? inputs.GpuRent.Value * inputs.Utilisation.Value : double.NaN;
        double[] rents = [.. new double[] { 0, 0.25, 0.5, 1, 1.5, 2, 3, 4, 5, 6, effective }
            .Concat(new[] { plan.BreakEven.RentTimesUtilisation.Value }.OfType<double>())
            .Where(double.IsFinite).Select(r => Math.Round(r, 4)).Distinct().Order()];
        return new SiteReport(generated, defaults, DateOnly.FromDateTime(generated.UtcDateTime), merged, model, plan,
            SiteAnalysis.ProfitAgainstBtcPrice(inputs, btc), SiteAnalysis.ProfitAgainstRentTimesUtilisation(inputs, rents));
    }

    /// <summary>The defaults' age in one line, and a warning when any is older than 90 days.</summary>
    public IEnumerable<string> AgeLines()
    {
        var ages = Ages;
        string range = ages.Count == 0 ? "no dated default in use" : $"dated figures in use are {ages.Min(a => a.AgeDays)} to {ages.Max(a => a.AgeDays)} days old on {Today:yyyy-MM-dd}";
        yield return $"defaults: {(Defaults.Origin == "built-in" ? $"built-in {MarketDefaults.FileName}" : Defaults.Origin)}, collected {Defaults.Collected:yyyy-MM-dd}; {range}";
        var stale = Stale;
        if (stale.Count > 0)
        {
            yield return $"warning: {stale.Count} default(s) older than {MarketDefaults.StaleAfterDays} days: "
                + string.Join(", ", stale.Select(s => $"{s.Key} {s.AgeDays} d"))
                + $"; override them (--btc-price …) or pass an updated copy of {MarketDefaults.FileName} with --defaults";
        }
    }
}
