using System.Globalization;

namespace HashTensorBench.Economics.Site;

/// <summary>
/// The per-MW decision: a megawatt of IT load mining with ASICs, renting GPUs out, leased as AI
/// colocation, or running the same GPUs on sha256d; revenue, electricity, profit, capex and payback per MW
/// per year, and where the answer flips. Every figure shows its arithmetic; nothing is estimated here.
/// </summary>
public static class SiteAnalysis
{
    /// <summary>Scenario keys, in the order reports list them.</summary>
    public const string Mining = "mining", GpuCloud = "gpu-cloud", Colocation = "colocation", GpuHashing = "gpu-hashing";

    private const double HoursPerYear = 8760, DaysPerYear = 365, WattsPerMw = 1e6;
    private const string PerYear = "USD/MW/year";

    /// <summary>BTC mined per day by 1 PH/s before the pool fee: 10^15 × 86,400 × (subsidy + fees) ÷ (difficulty × 2^32).</summary>
    public static double BtcPerPetahashDay(MarketInputs market)
    {
        ArgumentNullException.ThrowIfNull(market);
        return Pricing.BtcPerDay(1e15, market with { PoolFee = MarketInput.FromUser(0, "fraction") });
    }

    /// <summary>Analyses <paramref name="inputs"/> (validated first).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input is out of range.</exception>
    public static SitePlan Analyze(SiteInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        inputs.Validate();
        var m = inputs.Market;
        double hashprice = BtcPerPetahashDay(m) * m.BtcPrice.Value;
        var hashpriceFigure = new SiteFigure(hashprice, "USD/PH/day", F(
            $"10^15 H/s × 86,400 s × ({m.BlockSubsidy.Value:G} + {m.FeesPerBlock.Value:G}) BTC ÷ ({m.Difficulty.Value:G5} × 2^32) × {m.BtcPrice.Value:G6} USD = {hashprice:G4} USD per PH/s per day (before the pool fee)"));

        var mining = MiningScenario(inputs, out double miningBtcPerYear);
        var cloud = GpuCloudScenario(inputs, out double gpus);
        var colo = ColocationScenario(inputs);
        var hashing = GpuHashingScenario(inputs);
        var breakEven = BreakEvens(inputs, mining, cloud, colo, miningBtcPerYear, gpus, hashprice / m.BtcPrice.Value);
        return new SitePlan(inputs, hashpriceFigure, [mining, cloud, colo, hashing], breakEven);
    }

    /// <summary>Profit per MW per year of every scenario at each BTC price of <paramref name="prices"/>.</summary>
    public static IReadOnlyList<SensitivityPoint> ProfitAgainstBtcPrice(SiteInputs inputs, IEnumerable<double> prices)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(prices);
        return [.. prices.Select(p => Point(p, inputs with { Market = inputs.Market with { BtcPrice = MarketInput.Derived(p, "USD", "swept") } }))];
    }

    /// <summary>Profit per MW per year of every scenario at each rent × utilisation (USD per GPU-hour of the year).</summary>
    public static IReadOnlyList<SensitivityPoint> ProfitAgainstRentTimesUtilisation(SiteInputs inputs, IEnumerable<double> effectiveRents)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(effectiveRents);
        return [.. effectiveRents.Select(r => Point(r, inputs with
        {
            GpuRent = MarketInput.Derived(r, "USD/h", "swept"),
            Utilisation = MarketInput.Derived(1, "fraction", "swept as rent × utilisation"),
        }))];
    }

    private static SensitivityPoint Point(double x, SiteInputs inputs) =>
        new(x, Analyze(inputs).Scenarios.ToDictionary(s => s.Key, s => s.Profit.Value));

    private static SiteScenario MiningScenario(SiteInputs inputs, out double btcPerYear)
    {
        var asic = inputs.Asic;
        double unitWatts = asic.Watts;
        double units = Math.Floor(WattsPerMw / unitWatts);
        double itWatts = units * unitWatts;
        double hashesPerSecond = units * asic.TerahashesPerSecond * 1e12;
        var m = inputs.Market;
        btcPerYear = Pricing.BtcPerDay(hashesPerSecond, m) * DaysPerYear;
        double revenue = btcPerYear * m.BtcPrice.Value;
        var unitsFigure = new SiteFigure(units, $"{asic.Model} units", F(
            $"⌊10^6 W ÷ ({asic.TerahashesPerSecond:G} TH/s × {asic.JoulesPerTerahash:G} J/TH = {unitWatts:G6} W)⌋ = {units:F0} units, {units * asic.TerahashesPerSecond / 1000:G6} PH/s"));
        var revenueFigure = new SiteFigure(revenue, PerYear, F(
            $"{hashesPerSecond:G6} H/s × 86,400 s × ({m.BlockSubsidy.Value:G} + {m.FeesPerBlock.Value:G}) BTC ÷ ({m.Difficulty.Value:G5} × 2^32) × (1 − {m.PoolFee.Value:G}) × 365 = {btcPerYear:G6} BTC/year × {m.BtcPrice.Value:G6} USD = {revenue:F0} USD"));
        return Finish(Mining, $"ASIC mining ({asic.Model})", inputs, unitsFigure, itWatts, revenueFigure,
            Capex(inputs.MiningCapex, units, inputs.AsicPrice, $"{asic.Model} units"));
    }

    private static SiteScenario GpuCloudScenario(SiteInputs inputs, out double units)
    {
        double wall = inputs.GpuAiWatts.Value + inputs.GpuOverheadWatts.Value;
        units = Math.Floor(WattsPerMw / wall);
        var unitsFigure = GpuUnits(inputs.GpuAiWatts, inputs, units, "serving AI");
        SiteFigure revenue;
        if (!inputs.GpuRent.HasValue)
        {
            revenue = SiteFigure.Unknown(PerYear, $"no rent: {inputs.GpuRent.Source}");
        }
        else
        {
            double usd = units * inputs.GpuRent.Value * HoursPerYear * inputs.Utilisation.Value;
            revenue = new SiteFigure(usd, PerYear, F(
                $"{units:F0} GPUs × {inputs.GpuRent.Value:G} USD/h × 8,760 h × {inputs.Utilisation.Value:G} utilisation = {usd:F0} USD"));
        }
        return Finish(GpuCloud, $"GPU cloud ({inputs.GpuModel} rented out)", inputs, unitsFigure, units * wall, revenue,
            Capex(inputs.AiCapex, units, inputs.GpuServerPrice, "GPUs (server price per GPU)"));
    }

    private static SiteScenario ColocationScenario(SiteInputs inputs)
    {
        var units = new SiteFigure(1, "MW leased", "the whole MW of IT load, leased to an AI tenant who brings the GPUs");
        var revenue = new SiteFigure(inputs.ColoPrice.Value, PerYear, F($"{inputs.ColoPrice.Value:F0} USD per MW-year lease"));
        return Finish(Colocation, "AI colocation (power leased)", inputs, units, WattsPerMw, revenue,
            Capex(inputs.AiCapex, 0, null, ""), 1 - inputs.ColoPowerPassthrough.Value);
    }

    private static SiteScenario GpuHashingScenario(SiteInputs inputs)
    {
        double wall = inputs.GpuHashWatts.Value + inputs.GpuOverheadWatts.Value;
        double units = Math.Floor(WattsPerMw / wall);
        var unitsFigure = GpuUnits(inputs.GpuHashWatts, inputs, units, "hashing");
        double hashesPerSecond = units * inputs.GpuHashRate.Value;
        var m = inputs.Market;
        double btc = Pricing.BtcPerDay(hashesPerSecond, m) * DaysPerYear;
        double usd = btc * m.BtcPrice.Value;
        var revenue = new SiteFigure(usd, PerYear, F(
            $"{units:F0} GPUs × {inputs.GpuHashRate.Value:G4} H/s = {hashesPerSecond:G4} H/s × 86,400 s × ({m.BlockSubsidy.Value:G} + {m.FeesPerBlock.Value:G}) BTC ÷ ({m.Difficulty.Value:G5} × 2^32) × (1 − {m.PoolFee.Value:G}) × 365 = {btc:G4} BTC/year × {m.BtcPrice.Value:G6} USD = {usd:F0} USD"));
        return Finish(GpuHashing, $"GPU hashing ({inputs.GpuModel} on sha256d)", inputs, unitsFigure, units * wall, revenue,
            Capex(inputs.AiCapex, units, inputs.GpuServerPrice, "GPUs (server price per GPU)"));
    }

    private static SiteFigure GpuUnits(MarketInput gpuWatts, SiteInputs inputs, double units, string use) => new(units, "GPUs", F(
        $"⌊10^6 W ÷ ({gpuWatts.Value:F0} W per GPU {use} + {inputs.GpuOverheadWatts.Value:F0} W server overhead)⌋ = {units:F0} GPUs"));

    private static SiteFigure Capex(MarketInput building, double units, MarketInput? unitPrice, string what)
    {
        if (unitPrice is null)
            return new SiteFigure(building.Value, "USD/MW", F($"{building.Value:F0} USD building per MW"));
        if (!unitPrice.HasValue)
            return SiteFigure.Unknown("USD/MW", $"no machine price: {unitPrice.Source}");
        double usd = building.Value + units * unitPrice.Value;
        return new SiteFigure(usd, "USD/MW", F($"{building.Value:F0} USD building + {units:F0} {what} × {unitPrice.Value:F0} USD = {usd:F0} USD"));
    }

    // Electricity at full power around the year (rented or idle, a GPU stays powered), PUE included.
    private static SiteScenario Finish(string key, string name, SiteInputs inputs, SiteFigure units, double itWatts, SiteFigure revenue,
        SiteFigure capex, double paidShare = 1)
    {
        double pue = inputs.Pue.Value, price = inputs.Market.ElectricityPrice.Value;
        double cost = itWatts / 1000 * pue * HoursPerYear * price * paidShare;
        string share = paidShare < 1 ? F($" × {paidShare:G} (the share the operator pays)") : "";
        var electricity = new SiteFigure(cost, PerYear, F(
            $"{itWatts / 1000:G6} kW IT × {pue:G} PUE × 8,760 h × {price:G} USD/kWh{share} = {cost:F0} USD"));
        var itFigure = new SiteFigure(itWatts, "W", F($"IT power drawn by the units: {itWatts:F0} W of the 10^6"));
        SiteFigure profit = revenue.Value is double r
            ? new SiteFigure(r - cost, PerYear, F($"{r:F0} − {cost:F0} = {r - cost:F0} USD"))
            : SiteFigure.Unknown(PerYear, $"unknown: {revenue.Note}");
        SiteFigure payback = (capex.Value, profit.Value) switch
        {
            (_, null) => SiteFigure.Unknown("years", $"unknown: profit is unknown ({profit.Note})"),
            (_, double p) when p <= 0 => SiteFigure.Unknown("years", "never: the profit per year is not positive"),
            (null, _) => SiteFigure.Unknown("years", $"unknown: capex is unknown ({capex.Note})"),
            (double c, double p) => new SiteFigure(c / p, "years", F($"{c:F0} USD capex ÷ {p:F0} USD/year = {c / p:F2} years")),
        };
        return new SiteScenario(key, name, units, itFigure, revenue, electricity, profit, capex, payback);
    }

    private static SiteBreakEven BreakEvens(SiteInputs inputs, SiteScenario mining, SiteScenario cloud, SiteScenario colo,
        double miningBtcPerYear, double gpus, double hashpricePerUsd)
    {
        double miningCost = mining.Electricity.Value!.Value;
        double miningProfit = mining.Profit.Value!.Value;
        (SiteFigure Price, SiteFigure Hashprice) Against(SiteScenario ai)
        {
            if (ai.Profit.Value is not double aiProfit)
                return (SiteFigure.Unknown("USD/BTC", $"unknown: {ai.Name}'s profit is unknown"), SiteFigure.Unknown("USD/PH/day", $"unknown: {ai.Name}'s profit is unknown"));
            if (miningBtcPerYear <= 0)
                return (SiteFigure.Unknown("USD/BTC", "mining earns no BTC"), SiteFigure.Unknown("USD/PH/day", "mining earns no BTC"));
            double price = (aiProfit + miningCost) / miningBtcPerYear;
            double hashprice = price * hashpricePerUsd;
            return (new SiteFigure(price, "USD/BTC", F($"({aiProfit:F0} {ai.Key} profit + {miningCost:F0} mining electricity) USD/year ÷ {miningBtcPerYear:G6} BTC/year = {price:F0} USD per BTC")),
                new SiteFigure(hashprice, "USD/PH/day", F($"{price:F0} USD/BTC × {hashpricePerUsd:G6} BTC per PH/s per day = {hashprice:G4} USD per PH/s per day")));
        }
        var (cloudPrice, cloudHashprice) = Against(cloud);
        var (coloPrice, coloHashprice) = Against(colo);

        double cloudCost = cloud.Electricity.Value!.Value;
        double needed = miningProfit + cloudCost;
        double perRentHour = gpus * HoursPerYear;
        SiteFigure rent, utilisation, effective;
        if (perRentHour <= 0)
        {
            rent = utilisation = effective = SiteFigure.Unknown("", "no GPU fits in a MW");
        }
        else
        {
            double x = needed / perRentHour;
            effective = new SiteFigure(x, "USD per GPU-hour", F($"({miningProfit:F0} mining profit + {cloudCost:F0} GPU electricity) USD/year ÷ ({gpus:F0} GPUs × 8,760 h) = {x:G4} USD per GPU-hour"));
            double u = inputs.Utilisation.Value;
            rent = u > 0
                ? new SiteFigure(x / u, "USD/h", F($"{x:G4} USD per GPU-hour ÷ {u:G} utilisation = {x / u:G4} USD/h"))
                : SiteFigure.Unknown("USD/h", "utilisation is 0: no rent is enough");
            utilisation = inputs.GpuRent is { HasValue: true, Value: > 0 } r
                ? new SiteFigure(x / r.Value, "fraction", F($"{x:G4} USD per GPU-hour ÷ {r.Value:G} USD/h rent = {x / r.Value:G4}{(x / r.Value > 1 ? " (above 1: not reachable at this rent)" : "")}"))
                : SiteFigure.Unknown("fraction", $"no rent: {inputs.GpuRent.Source}");
        }
        return new SiteBreakEven(cloudPrice, cloudHashprice, coloPrice, coloHashprice, rent, utilisation, effective);
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
