using HashTensorBench.Economics;
using HashTensorBench.Economics.Refresh;
using HashTensorBench.Workloads;

namespace HashTensorBench.Cli.Report;

/// <summary>How figures read in the Markdown report and on the console: one place, so both say the same.</summary>
internal static class ReportFormat
{
    /// <summary>
    /// The warning that defaults older than <see cref="MarketDefaults.StaleAfterDays"/> days are in use, naming each with its
    /// age, as compare and site print it on the console and in their reports; null when none is.
    /// </summary>
    public static string? StaleWarning(InputAges ages) => ages.Stale is { Count: > 0 } stale
        ? $"warning: {stale.Count} default(s) older than {MarketDefaults.StaleAfterDays} days: "
            + string.Join(", ", stale.Select(s => $"{s.Key} {s.AgeDays} d"))
            + (stale.Any(s => MarketRefresh.Inputs.Any(i => i.Key == s.Key)) ? "; htb market refresh reads today's BTC price, difficulty, fees and height" : "")
            + $"; override them (--{Input.BtcPrice.Key} …) or pass an updated copy of {MarketDefaults.FileName} with --defaults"
        : null;

    /// <summary>The median rate, for a narrow column.</summary>
    public static string Rate(TimedRun run) => Scaled(run.Rate, run.Unit + "/s");

    /// <summary>The median rate with its extremes, spread and window count.</summary>
    public static string RateWithSpread(TimedRun run) =>
        $"{Rate(run)} (median of {run.Windows.Windows} windows in {run.Elapsed.TotalSeconds:F1} s, {Scaled(run.Windows.Min, "")}–{Scaled(run.Windows.Max, run.Unit + "/s")}, spread {run.Windows.Spread:P1})";

    public static string Watts(TimedRun run) => run.Energy.AverageWatts is double w
        ? $"{w:F1} W{(run.Energy.IsTooShort ? " (window under 10 s)" : "")}"
        : $"unavailable: {run.Energy.UnavailableReason}";

    /// <summary>Power for a narrow console column: the reason, once, goes below the table.</summary>
    public static string WattsShort(TimedRun run) => run.Energy.AverageWatts is double w ? $"{w:F1} W" : "unavailable";

    public static string PerJoule(TimedRun run) => run.WorkPerJoule is double perJoule ? Scaled(perJoule, run.Unit + "/J") : "unavailable";

    public static string Usd(PricedFigure figure) => Usd(figure.UsdPerDay);

    // Cents for real money; three significant digits for the fractions of a cent a CPU earns.
    public static string Usd(double? usd) => usd switch
    {
        null => "unknown",
        double value when Math.Abs(value) >= 1 || value == 0 => $"{value:N2}",
        // Three significant digits in fixed point (0.00000181, not 1.81E-06).
        double value => value.ToString("F" + Math.Min(15, 2 - (int)Math.Floor(Math.Log10(Math.Abs(value)))), System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string Scaled(double value, string unit)
    {
        var (scaled, prefix) = SiPrefix.Of(value);
        return $"{scaled:F2} {prefix}{unit}";
    }
}
