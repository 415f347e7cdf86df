using System.Globalization;
using HashTensorBench.Economics.Finance;
using HashTensorBench.Economics.Risk;

namespace HashTensorBench.Economics.Site;

/// <summary>One use across the risk paths.</summary>
/// <param name="Key">The use.</param>
/// <param name="Npv">P10, P50, P90 of its NPV per MW and the probability that the NPV is below 0.</param>
/// <param name="Annuity">The same of its equivalent annual annuity, the unit the mixes are compared in.</param>
/// <param name="MeanCurtailedMonths">Months its machines were switched off, on average over the paths.</param>
/// <param name="Fan">At the end of each year of its horizon: P10, P50 and P90 of the discounted cash so far (capex in month 0 included).</param>
public sealed record SiteUseRisk(string Key, Quantiles Npv, Quantiles Annuity, double MeanCurtailedMonths, IReadOnlyList<Quantiles> Fan);

/// <summary>What the paths gave: each use's spread, every mix on the grid, the efficient ones, and the user's mix.</summary>
/// <param name="Paths">Paths drawn.</param>
/// <param name="Settings">What they were drawn from, the seed included.</param>
/// <param name="Uses">Each use, in the model's order.</param>
/// <param name="Keys">The uses' keys in the order of each mix's shares.</param>
/// <param name="Frontier">Every mix on the grid by its annuity's P10 and P50, and the efficient set: the mixes no other beats on both.</param>
/// <param name="Mix">The user's <c>--mix</c>, or null.</param>
public sealed record SiteRiskResult(int Paths, PathSettings Settings, IReadOnlyList<SiteUseRisk> Uses, IReadOnlyList<string> Keys,
    MixFrontier Frontier, MixOutcome? Mix);

/// <summary>
/// The risk engine: draws paths of the BTC price (a geometric Brownian motion) and the GPU rent (around its trend, correlated
/// with the BTC price), with a monthly draw for the colocation tenant's default; prices every use on every path through the
/// same monthly model as the expected case; and gathers each use's quantiles and every mix's. With zero volatilities and no
/// tenant default, every path is the expected case. Paths are priced in parallel, each from its own seeded stream, so a
/// seeded run gives the same bits on any number of cores.
/// </summary>
public static class SiteRisk
{
    /// <summary>The most paths a run may draw.</summary>
    public const int MaxPaths = 10_000_000;

    /// <summary>Draws <paramref name="paths"/> paths from <paramref name="seed"/> and prices every use of <paramref name="model"/> on each.</summary>
    /// <param name="model">The site.</param>
    /// <param name="paths">1 to <see cref="MaxPaths"/>.</param>
    /// <param name="seed">The seed: the same seed gives the same result.</param>
    /// <param name="mix">Shares of the MW by use key, summing to 1, or null.</param>
    /// <param name="progress">Told the fraction of paths priced, now and then.</param>
    /// <param name="cancellationToken">Stops between paths.</param>
    /// <exception cref="ArgumentOutOfRangeException">Paths out of range, or a risk input out of range.</exception>
    /// <exception cref="ArgumentException">A mix names a use that is not valued, or its shares do not sum to 1.</exception>
    public static SiteRiskResult Run(SiteModel model, int paths, ulong seed, IReadOnlyDictionary<string, double>? mix = null,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (paths is < 1 or > MaxPaths)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(paths), $"The number of paths must be from 1 to {MaxPaths:N0}; got {paths}.");
        var uses = model.Uses;
        string[] keys = [.. uses.Select(u => u.Key)];
        double[]? shares = mix is null ? null : Shares(mix, keys, model);

        var v = model.Inputs;
        var settings = new PathSettings(model.Months, v[Input.BtcDrift].Value, v[Input.BtcVolatility].Value, v[Input.RentChange].Value,
            v[Input.RentVolatility].Value, v[Input.RentBtcCorrelation].Value, seed);
        var generator = new PathGenerator(settings);
        double rate = v[Input.DiscountRate].Value;
        var discount = new double[model.Months + 1];
        double monthly = Math.Pow(1 + rate, -1.0 / 12), d = 1;
        for (int m = 0; m < discount.Length; m++, d *= monthly)
            discount[m] = d;

        int n = uses.Count;
        var npv = new double[n][];
        var annuity = new double[n][];
        var curtailed = new long[n];
        var fan = new double[n][][];
        for (int u = 0; u < n; u++)
        {
            npv[u] = new double[paths];
            annuity[u] = new double[paths];
            fan[u] = [.. Enumerable.Range(0, (uses[u].Months + 11) / 12).Select(_ => new double[paths])];
        }

        int done = 0, step = Math.Max(1, paths / 100);
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0, paths, options, () => new Buffers(model.Months, n), (p, _, b) =>
        {
            generator.Fill(p, b.Btc, b.Rent, b.Uniform);
            for (int u = 0; u < n; u++)
            {
                var use = uses[u];
                int months = use.Months;
                b.Curtailed[u] += use.Operate(b.Btc, b.Rent, b.Uniform, b.Revenue, b.Electricity, b.Opex);
                double pv = 0;
                var years = fan[u];
                for (int m = 0; m < months; m++)
                {
                    pv += (b.Revenue[m] - b.Electricity[m] - b.Opex[m] - use.Capex[m]) * discount[m];
                    if (m % 12 == 11)
                        years[m / 12][p] = pv;
                }
                pv -= use.Capex[months] * discount[months];
                years[^1][p] = pv;
                npv[u][p] = pv;
                annuity[u][p] = CashFlows.EquivalentAnnualAnnuity(pv, rate, use.Years);
            }
            if (progress is not null && Interlocked.Increment(ref done) % step == 0)
                progress.Report((double)done / paths);
            return b;
        }, b =>
        {
            lock (curtailed)
            {
                for (int u = 0; u < n; u++)
                    curtailed[u] += b.Curtailed[u];
            }
        });

        var results = new SiteUseRisk[n];
        for (int u = 0; u < n; u++)
        {
            results[u] = new SiteUseRisk(keys[u], Quantiles.Of((double[])npv[u].Clone()), Quantiles.Of((double[])annuity[u].Clone()),
                (double)curtailed[u] / paths, [.. fan[u].Select(year => Quantiles.Of(year))]);
        }
        var frontier = EfficientMixes.Evaluate(annuity);
        var chosen = shares is null ? null : EfficientMixes.EvaluateMix(annuity, shares);
        return new SiteRiskResult(paths, settings, results, keys, frontier, chosen);
    }

    /// <summary>Reads a mix such as <c>asic=0.3,colocation=0.7</c> into shares by use key.</summary>
    /// <exception cref="ArgumentException">Not of that form, a use that is not one of <see cref="SiteAnalysis.Keys"/>, a share outside 0–1, or shares that do not sum to 1.</exception>
    public static IReadOnlyDictionary<string, double> ParseMix(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', StringSplitOptions.TrimEntries);
            double share = double.NaN;
            if (pair.Length != 2 || !double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out share))
                ThrowHelper.ThrowArgument(nameof(text), $"A mix is use=share pairs such as asic=0.3,colocation=0.7; got \"{part}\".");
            if (!SiteAnalysis.Keys.Contains(pair[0]))
                ThrowHelper.ThrowArgument(nameof(text), $"Unknown use \"{pair[0]}\" in the mix; the uses are {string.Join(", ", SiteAnalysis.Keys)}.");
            if (!(share is >= 0 and <= 1) || !shares.TryAdd(pair[0], share))
                ThrowHelper.ThrowArgument(nameof(text), $"Each use appears once in a mix with a share from 0 to 1; got \"{part}\".");
        }
        double sum = shares.Values.Sum();
        if (Math.Abs(sum - 1) > 1e-9)
            ThrowHelper.ThrowArgument(nameof(text), $"The shares of a mix must sum to 1; \"{text}\" sums to {sum.ToString("G", CultureInfo.InvariantCulture)}.");
        return shares;
    }

    private static double[] Shares(IReadOnlyDictionary<string, double> mix, string[] keys, SiteModel model)
    {
        foreach (var (key, share) in mix)
        {
            if (share > 0 && !keys.Contains(key))
            {
                string why = model.Unvalued.FirstOrDefault(u => u.Key == key).Reason ?? $"\"{key}\" is not a use";
                ThrowHelper.ThrowArgument(nameof(mix), $"The mix gives {key} a share, but {why}.");
            }
        }
        return [.. keys.Select(k => mix.GetValueOrDefault(k))];
    }

    private sealed class Buffers(int months, int uses)
    {
        public double[] Btc { get; } = new double[months];

        public double[] Rent { get; } = new double[months];

        public double[] Uniform { get; } = new double[months];

        public double[] Revenue { get; } = new double[months];

        public double[] Electricity { get; } = new double[months];

        public double[] Opex { get; } = new double[months];

        public long[] Curtailed { get; } = new long[uses];
    }
}
