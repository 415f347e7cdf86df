using HashTensorBench.Economics;
using HashTensorBench.Economics.Site;

namespace HashTensorBench.Cli.Report;

/// <summary>The site decision as written to the report folder: the plan, its risk, the devices it was measured on, the sweeps.</summary>
/// <param name="Generated">When.</param>
/// <param name="Defaults">The defaults file used.</param>
/// <param name="Today">The day the defaults' ages are counted to.</param>
/// <param name="Merged">The compare reports merged; null without <c>--reports</c>.</param>
/// <param name="Model">The GPU model the plan uses from <paramref name="Merged"/>.</param>
/// <param name="Plan">The per-MW plan.</param>
/// <param name="Risk">The uses and mixes over the paths.</param>
/// <param name="ByBtcPrice">Each use's annuity against the BTC price.</param>
/// <param name="ByRent">Each use's annuity against the GPU rent; empty without a rent.</param>
internal sealed record SiteReport(DateTimeOffset Generated, MarketDefaults Defaults, DateOnly Today, MergedReports? Merged, ModelSummary? Model,
    SitePlan Plan, SiteRiskResult Risk, IReadOnlyList<SitePoint> ByBtcPrice, IReadOnlyList<SitePoint> ByRent)
{
    /// <summary>A use's short name, for columns and legends.</summary>
    public static string Short(string key) => key switch
    {
        SiteAnalysis.Asic => "ASIC mining",
        SiteAnalysis.GpuCloud => "GPU cloud",
        SiteAnalysis.Colocation => "AI colocation",
        _ => "GPU hashing",
    };

    /// <summary>The age of every dated default in use (not overridden), and the stale ones.</summary>
    public InputAges Ages => InputAges.Of(Plan.Inputs.All(), Today);

    /// <summary>Builds the report: the plan, its risk, and both sweeps (<see cref="SiteAnalysis.SweepBtcPrice"/>, <see cref="SiteAnalysis.SweepRent"/>).</summary>
    public static SiteReport Create(DateTimeOffset generated, MarketDefaults defaults, MergedReports? merged, ModelSummary? model, SitePlan plan, SiteRiskResult risk) =>
        new(generated, defaults, DateOnly.FromDateTime(generated.UtcDateTime), merged, model, plan, risk, SiteAnalysis.SweepBtcPrice(plan), SiteAnalysis.SweepRent(plan));

    /// <summary>Which defaults and how old in one line, and a warning when any figure in use is older than 90 days.</summary>
    public IEnumerable<string> AgeLines()
    {
        var ages = Ages.Ages;
        string range = ages.Count == 0 ? "no dated default in use" : $"dated figures in use are {ages.Min(a => a.AgeDays)} to {ages.Max(a => a.AgeDays)} days old on {Today:yyyy-MM-dd}";
        yield return $"defaults: {Defaults.Describe(Today)}; {range}";
        if (ReportFormat.StaleWarning(Ages) is { } warning)
            yield return warning;
    }
}
