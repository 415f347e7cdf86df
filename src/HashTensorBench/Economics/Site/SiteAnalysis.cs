using System.Globalization;
using HashTensorBench.Economics.Finance;

namespace HashTensorBench.Economics.Site;

/// <summary>One value of a swept input and each use's annuity there (null where the use is not valued).</summary>
/// <param name="X">The input's value.</param>
/// <param name="Annuity">Equivalent annual annuity per MW by use key.</param>
public sealed record SitePoint(double X, IReadOnlyDictionary<string, double?> Annuity);

/// <summary>
/// The per-MW decision over the machines' lives: a megawatt of IT load mining with ASICs, renting GPUs out, leased as AI
/// colocation, or running GPUs on sha256d, each valued month by month over its life (or <c>--years</c>) by NPV, IRR, payback
/// and equivalent annual annuity, ranked by the annuity, with where the ranking flips and each input's swing. Every figure
/// shows its arithmetic; nothing is estimated here.
/// </summary>
public static class SiteAnalysis
{
    /// <summary>The uses' keys, in the order reports list them (also the names <c>--mix</c> takes).</summary>
    public const string Asic = "asic", GpuCloud = "gpu-cloud", Colocation = "colocation", GpuHashing = "gpu-hashing";

    /// <summary>Every use's key, in report order.</summary>
    public static IReadOnlyList<string> Keys { get; } = [Asic, GpuCloud, Colocation, GpuHashing];

    // Inputs whose ±20 % says nothing about the plan: its scale, the date of the halvings, the risk engine's settings.
    private static readonly HashSet<InputDefinition> s_notSwung =
    [
        Input.Megawatts, Input.Height, Input.Hashprice, Input.Years, Input.Residual, Input.BtcVolatility, Input.RentVolatility,
        Input.RentBtcCorrelation, Input.TenantDefault, Input.VacancyMonths,
    ];

    /// <summary>BTC mined per day by 1 PH/s before the pool fee: 10^15 × 86,400 × (subsidy + fees) ÷ (difficulty × 2^32).</summary>
    public static double BtcPerPetahashDay(MarketInputs market)
    {
        ArgumentNullException.ThrowIfNull(market);
        return Pricing.BtcPerDay(1e15, market.With(Input.PoolFee, 0));
    }

    /// <summary>Values every use of <paramref name="inputs"/> (validated first), ranks them, and finds where the ranking flips.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input is out of range.</exception>
    public static SitePlan Analyze(SiteInputs inputs, SiteOptions options)
    {
        var model = new SiteModel(inputs, options);
        var m = inputs.Values;
        double hashprice = BtcPerPetahashDay(m) * m[Input.BtcPrice].Value;
        var hashpriceFigure = new SiteFigure(hashprice, "USD/PH/day", F(
            $"10^15 H/s × 86,400 s × ({m[Input.Subsidy].Value:G} + {m[Input.Fees].Value:G}) BTC ÷ ({m[Input.Difficulty].Value:G5} × 2^32) × {m[Input.BtcPrice].Value:G6} USD = {hashprice:G4} USD per PH/s per day (before the pool fee)"));
        var valuations = Value(model);
        return new SitePlan(model, hashpriceFigure, valuations, Flips(inputs, options, valuations[0].Key), Sensitivities(inputs, options, valuations[0].Key));
    }

    /// <summary>Every use of <paramref name="model"/> valued on its expected path, highest annuity first.</summary>
    public static IReadOnlyList<SiteValuation> Value(SiteModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (btc, none) = ExpectedPath(model);
        return [.. model.Uses.Select(u => Value(model, u, btc, model.RentTrend, none)).OrderByDescending(v => v.AnnuityValue)];
    }

    // The expected path: the BTC price's factor e^(μ·t), and a uniform draw of 1 each month (no tenant default).
    private static (double[] Btc, double[] Uniform) ExpectedPath(SiteModel model)
    {
        double drift = model.Inputs[Input.BtcDrift].Value;
        var btc = new double[model.Months];
        for (int i = 0; i < btc.Length; i++)
            btc[i] = Math.Exp(drift * i / 12);
        var none = new double[model.Months];
        Array.Fill(none, 1.0);
        return (btc, none);
    }

    /// <summary>Each use's annuity at each value of <paramref name="input"/>: the rows of a sweep.</summary>
    public static IReadOnlyList<SitePoint> AnnuityAgainst(SiteInputs inputs, SiteOptions options, InputDefinition input, IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(values);
        return [.. values.Select(x =>
        {
            var valued = Value(new SiteModel(Moved(inputs, input, x), options));
            return new SitePoint(x, Keys.ToDictionary(k => k, k => valued.FirstOrDefault(v => v.Key == k)?.AnnuityValue));
        })];
    }

    /// <summary>
    /// Each use's annuity against the BTC price: round prices from 20,000 to 500,000 USD, today's, and the one where the
    /// answer flips, so the chart shows where the lines cross.
    /// </summary>
    public static IReadOnlyList<SitePoint> SweepBtcPrice(SitePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        double price = plan.Inputs[Input.BtcPrice].Value;
        return AnnuityAgainst(plan.Inputs, plan.Model.Options, Input.BtcPrice,
            SweepGrid([20_000, 40_000, 60_000, 80_000, 100_000, 150_000, 200_000, 300_000, 500_000, price], FlipOf(plan, Input.BtcPrice), 0));
    }

    /// <summary>Each use's annuity against the GPU rent, as <see cref="SweepBtcPrice"/> (0.5 to 8 USD/h); empty without a rent.</summary>
    public static IReadOnlyList<SitePoint> SweepRent(SitePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Inputs[Input.GpuRent] is { HasValue: true } rent
            ? AnnuityAgainst(plan.Inputs, plan.Model.Options, Input.GpuRent, SweepGrid([0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, rent.Value], FlipOf(plan, Input.GpuRent), 3))
            : [];
    }

    private static double? FlipOf(SitePlan plan, InputDefinition input) => plan.Flips.FirstOrDefault(f => f.Input == input)?.Value;

    // The round values, the flip where there is one (a flip at or below zero is off the chart), rounded, once each, in order.
    internal static double[] SweepGrid(double[] round, double? flip, int digits) =>
        [.. round.Concat(flip is double f && f > 0 ? [f] : []).Select(x => Math.Round(x, digits)).Distinct().Order()];

    private static SiteValuation Value(SiteModel model, SiteUseModel use, ReadOnlySpan<double> btc, ReadOnlySpan<double> rent, ReadOnlySpan<double> uniform)
    {
        int months = use.Months;
        var revenue = new double[months];
        var electricity = new double[months];
        var opex = new double[months];
        var curtailedIn = new bool[months];
        var cash = Cash(use, btc, rent, uniform, revenue, electricity, opex, curtailedIn, out int curtailedMonths);

        double r = model.Inputs[Input.DiscountRate].Value;
        var years = new List<SiteYear>();
        double cumulative = 0, discount = 1, monthly = Math.Pow(1 + r, -1.0 / 12);
        int last = (months - 1) / 12;
        for (int y = 0; y <= last; y++)
        {
            double rev = 0, el = 0, op = 0, cap = 0, net = 0, disc = 0;
            int curtailed = 0;
            // The last year also holds the residual value, in month `months`.
            for (int i = y * 12; i < (y == last ? months + 1 : y * 12 + 12); i++)
            {
                if (i < months)
                {
                    rev += revenue[i];
                    el += electricity[i];
                    op += opex[i];
                    curtailed += curtailedIn[i] ? 1 : 0;
                }
                cap += use.Capex[i];
                net += cash[i];
                disc += cash[i] * discount;
                discount *= monthly;
            }
            cumulative += net;
            years.Add(new SiteYear(y + 1, rev, el, op, cap, net, cumulative, disc, curtailed));
        }

        double npv = CashFlows.Npv(cash, r);
        double annuity = CashFlows.EquivalentAnnualAnnuity(npv, r, use.Years);
        double? irr = CashFlows.Irr(cash);
        int? payback = CashFlows.PaybackMonth(cash);
        double capex = use.Capex.Sum();
        double operating = cash.Sum() + capex;
        var first = years[0];
        var firstYear = first with { Capex = 0, Net = first.Revenue - first.Electricity - first.Opex };
        const string perMw = "USD/MW";
        return new SiteValuation(use, new MonthlyFlows(cash), years, curtailedMonths,
            new SiteFigure(npv, perMw, F($"Σ over months m = 0…{months} of cash_m ÷ (1 + {r:G})^(m/12) = {npv:N0} USD, capex in month 0 and the residual value in month {months}")),
            irr is double i0 ? new SiteFigure(i0, "fraction per year", F($"the yearly rate at which the NPV is 0: {i0:P2}")) : SiteFigure.Unknown("fraction per year", "none: the cash never turns from negative to positive"),
            payback is int p ? new SiteFigure(p, "months", F($"the cumulative cash stays at or above 0 from month {p} ({p / 12.0:F1} years)")) : SiteFigure.Unknown("months", F($"never within {use.Years:G} years")),
            new SiteFigure(annuity, "USD/MW/year", F($"NPV × r ÷ (1 − (1 + r)^−years) = {npv:N0} × {r:G} ÷ (1 − {1 + r:G}^−{use.Years:G}) = {annuity:N0} USD per year over {use.Years:G} years")),
            new SiteFigure((operating - (capex)) / use.Years, "USD/MW/year", F(
                $"({operating:N0} USD revenue − electricity − opex − {capex:N0} USD capex less residual, that is straight-line depreciation) ÷ {use.Years:G} years = {(operating - capex) / use.Years:N0} USD per year")),
            firstYear);
    }

    // The use's net cash per month on a path: months 0 to Months − 1 operating less capex, month Months the residual value.
    private static double[] Cash(SiteUseModel use, ReadOnlySpan<double> btc, ReadOnlySpan<double> rent, ReadOnlySpan<double> uniform,
        Span<double> revenue, Span<double> electricity, Span<double> opex, Span<bool> curtailedIn, out int curtailedMonths)
    {
        int months = use.Months;
        curtailedMonths = use.Operate(btc, rent, uniform, revenue, electricity, opex, curtailedIn);
        var cash = new double[months + 1];
        for (int i = 0; i < months; i++)
            cash[i] = revenue[i] - electricity[i] - opex[i] - use.Capex[i];
        cash[months] = -use.Capex[months];
        return cash;
    }

    // Each use's NPV and annuity on the expected path, as Value gives them, without the yearly table and the arithmetic in
    // words: what the flip searches evaluate a few thousand times. Only the use `only` where it is given.
    private static Dictionary<string, (double Npv, double Annuity)> Figures(SiteInputs inputs, SiteOptions options, string? only = null)
    {
        var model = new SiteModel(inputs, options);
        var (btc, none) = ExpectedPath(model);
        double r = inputs[Input.DiscountRate].Value;
        var figures = new Dictionary<string, (double, double)>();
        foreach (var use in model.Uses)
        {
            if (only is not null && use.Key != only)
                continue;
            int months = use.Months;
            double[] revenue = new double[months], electricity = new double[months], opex = new double[months];
            double npv = CashFlows.Npv(Cash(use, btc, model.RentTrend, none, revenue, electricity, opex, default, out _), r);
            figures[use.Key] = (npv, CashFlows.EquivalentAnnualAnnuity(npv, r, use.Years));
        }
        return figures;
    }

    // The inputs with one value moved, marked as swept.
    private static SiteInputs Moved(SiteInputs inputs, InputDefinition input, double x) =>
        inputs.With(input, MarketInput.Derived(x, input.Unit, "swept"));

    private static Dictionary<string, double> Npvs(SiteInputs inputs, SiteOptions options) =>
        Figures(inputs, options).ToDictionary(p => p.Key, p => p.Value.Npv);

    private static Dictionary<string, double> Annuities(SiteInputs inputs, SiteOptions options) =>
        Figures(inputs, options).ToDictionary(p => p.Key, p => p.Value.Annuity);

    private static IReadOnlyList<SiteFlip> Flips(SiteInputs inputs, SiteOptions options, string leader)
    {
        var flips = new List<SiteFlip>();
        void Find(InputDefinition input, double low, double high, int steps, GridSpacing spacing)
        {
            double now = inputs[input].Value;
            if (!inputs[input].HasValue || now < low || now > high)
                return;
            double Lead(double x)
            {
                var a = Annuities(Moved(inputs, input, x), options);
                return a[leader] - a.Where(p => p.Key != leader).Max(p => p.Value);
            }
            double? value = Root(Lead, low, high, steps, now, spacing);
            string? next = null;
            if (value is double v)
            {
                // Just past the root, on the side away from now, another use leads.
                double past = v + (v >= now ? 1 : -1) * Math.Max(Math.Abs(v), 1) * 1e-6;
                next = Annuities(Moved(inputs, input, past), options).MaxBy(p => p.Value).Key;
            }
            var zero = Keys.ToDictionary(k => k, k => (double?)null);
            foreach (var key in Npvs(inputs, options).Keys)
                zero[key] = Root(x => Figures(Moved(inputs, input, x), options, key)[key].Npv, low, high, steps, now, spacing);
            flips.Add(new SiteFlip(input, now, leader, value, next, (low, high), zero));
        }
        double price = inputs[Input.BtcPrice].Value;
        Find(Input.BtcPrice, price / 100, price * 100, 80, GridSpacing.Logarithmic);
        Find(Input.DifficultyGrowth, Input.DifficultyGrowth.Min, Input.DifficultyGrowth.Max, 218, GridSpacing.Linear);
        if (inputs[Input.GpuRent] is { HasValue: true, Value: > 0 } rent)
        {
            Find(Input.GpuRent, rent.Value / 100, rent.Value * 100, 80, GridSpacing.Logarithmic);
            Find(Input.RentChange, -0.95, 2, 118, GridSpacing.Linear);
        }
        Find(Input.DiscountRate, -0.5, 1, 150, GridSpacing.Linear);
        return flips;
    }

    private static double? Root(Func<double, double> f, double low, double high, int steps, double start, GridSpacing spacing) =>
        RootFinder.Bracket(f, low, high, steps, start, spacing) is var (a, b) ? RootFinder.Brent(f, a, b, 1e-9 * Math.Max(1, Math.Abs(start))) : null;

    private static IReadOnlyList<SiteSensitivity> Sensitivities(SiteInputs inputs, SiteOptions options, string leader)
    {
        var rows = new List<SiteSensitivity>();
        foreach (var (input, value) in inputs.All())
        {
            if (s_notSwung.Contains(input) || !value.HasValue || value.Value == 0)
                continue;
            double low = Within(input, value.Value * 0.8), high = Within(input, value.Value * 1.2);
            if (low == high)
                continue;
            rows.Add(new SiteSensitivity(input, low, high, Npvs(Moved(inputs, input, low), options), Npvs(Moved(inputs, input, high), options)));
        }
        return [.. rows.OrderByDescending(r => Math.Abs(r.NpvHigh[leader] - r.NpvLow[leader]))];
    }

    // A moved value kept within the input's bounds (just inside an exclusive one).
    private static double Within(InputDefinition input, double x)
    {
        double low = input.MinExclusive ? input.Min + Math.Max(Math.Abs(input.Min), 1) * 1e-9 : input.Min;
        double high = input.MaxExclusive ? input.Max - Math.Max(Math.Abs(input.Max), 1) * 1e-9 : input.Max;
        return Math.Clamp(x, Math.Min(low, high), high);
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
