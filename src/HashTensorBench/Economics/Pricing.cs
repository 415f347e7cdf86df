using System.Globalization;

namespace HashTensorBench.Economics;

/// <summary>A money figure per day and how it was computed, or why it cannot be.</summary>
/// <param name="UsdPerDay">The figure; null when an input it needs (usually measured power) is unavailable.</param>
/// <param name="Arithmetic">The computation with the numbers filled in, or the reason it is unknown.</param>
public sealed record PricedFigure(double? UsdPerDay, string Arithmetic);

/// <summary>Where the watts that price electricity came from.</summary>
public enum PowerSource
{
    /// <summary>Read from the device's energy counter over the run.</summary>
    Measured,

    /// <summary>Given by the user for a device whose power could not be read (or that they know better).</summary>
    Given,
}

/// <summary>What one use of a device earns per day.</summary>
/// <param name="Use">"hashing" or "AI".</param>
/// <param name="Revenue">Gross revenue per day.</param>
/// <param name="Electricity">Electricity cost per day at the measured power; unknown without it.</param>
/// <param name="Profit">Revenue less electricity; unknown without measured power.</param>
/// <param name="Watts">The average power, measured or given, or null.</param>
public sealed record UsePricing(string Use, PricedFigure Revenue, PricedFigure Electricity, PricedFigure Profit, double? Watts)
{
    /// <summary>Where <see cref="Watts"/> came from.</summary>
    public PowerSource PowerSource { get; init; }

    /// <summary>Profit per MWh the use consumes; null without measured power.</summary>
    public double? ProfitPerMWh => Profit.UsdPerDay is double profit && Watts is double watts && watts > 0
        ? profit / (watts * 24 / 1e6)
        : null;
}

/// <summary>Which use earns more on a device, by how much, and where the answer flips.</summary>
/// <param name="Hashing">Hashing's figures.</param>
/// <param name="Ai">AI's figures.</param>
/// <param name="Winner">"hashing" or "AI", compared by profit where both are known, else by revenue.</param>
/// <param name="Basis">"profit", or "revenue, as power was not measured".</param>
/// <param name="MarginUsdPerDay">How much more the winner earns per day on that basis.</param>
/// <param name="BreakEvenBtcPrice">The BTC price at which hashing would match AI on that basis.</param>
/// <param name="BreakEvenRentalPerHour">The rental price per hour at which AI would match hashing, where AI is priced by rent.</param>
public sealed record Decision(UsePricing Hashing, UsePricing Ai, string Winner, string Basis, double MarginUsdPerDay,
    PricedFigure BreakEvenBtcPrice, PricedFigure? BreakEvenRentalPerHour)
{
    /// <summary>Both uses cost more in electricity than they earn: the winner only loses less.</summary>
    public bool BothLoseMoney { get; init; }
}

/// <summary>
/// Turns measured rates and power into money per day, showing the arithmetic. Nothing here is measured
/// or estimated: what it is not given (power) it reports as unknown.
/// </summary>
public static class Pricing
{
    private const double SecondsPerDay = 86_400;
    private static readonly double s_two32 = Math.Pow(2, 32);

    /// <summary>Bitcoin mined per day at <paramref name="hashesPerSecond"/>, after the pool fee.</summary>
    /// <remarks>BTC/day = H/s × 86,400 × (subsidy + fees) ÷ (difficulty × 2^32) × (1 − pool fee).</remarks>
    public static double BtcPerDay(double hashesPerSecond, MarketInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return hashesPerSecond * SecondsPerDay * (inputs[Input.Subsidy].Value + inputs[Input.Fees].Value)
            / (inputs[Input.Difficulty].Value * s_two32) * (1 - inputs[Input.PoolFee].Value);
    }

    /// <summary>Joules per terahash, the miner's efficiency figure; null without measured power.</summary>
    public static double? JoulesPerTerahash(double hashesPerSecond, double? watts) =>
        watts is double w && hashesPerSecond > 0 ? w / (hashesPerSecond / 1e12) : null;

    /// <summary>Prices hashing at <paramref name="hashesPerSecond"/> drawing <paramref name="watts"/> (null when unknown).</summary>
    public static UsePricing Hashing(double hashesPerSecond, double? watts, MarketInputs inputs, PowerSource power = PowerSource.Measured)
    {
        double btc = BtcPerDay(hashesPerSecond, inputs);
        double usd = btc * inputs[Input.BtcPrice].Value;
        var revenue = new PricedFigure(usd, Format(
            $"{hashesPerSecond:G4} H/s × 86,400 s × ({inputs[Input.Subsidy].Value:G} + {inputs[Input.Fees].Value:G}) BTC ÷ ({inputs[Input.Difficulty].Value:G4} × 2^32) × (1 − {inputs[Input.PoolFee].Value:G}) = {btc:G4} BTC/day × {inputs[Input.BtcPrice].Value:G} USD = {usd:G6} USD/day"));
        return WithElectricity("hashing", revenue, watts, power, inputs);
    }

    /// <summary>
    /// Prices AI work at <paramref name="opsPerSecond"/> drawing <paramref name="watts"/>: by the rental price per hour where the
    /// inputs give one, else by the price per PFLOP/s-hour, or per POP/s-hour for <paramref name="integer"/> (INT8) work, whose
    /// operations sell at their own price rather than as floating-point ones.
    /// </summary>
    public static UsePricing Ai(double opsPerSecond, double? watts, MarketInputs inputs, bool integer = false, PowerSource power = PowerSource.Measured)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        PricedFigure revenue;
        if (inputs.Find(Input.GpuRent) is { } rent)
        {
            double usd = rent.Value * 24;
            revenue = new(usd, Format($"{rent.Value:G} USD/h rental × 24 h = {usd:G6} USD/day"));
        }
        else
        {
            var (price, unit) = integer ? (Input.PopHourPrice, "OP") : (Input.PflopHourPrice, "FLOP");
            double peta = opsPerSecond / 1e15;
            double usd = peta * 24 * inputs[price].Value;
            revenue = new(usd, Format($"{opsPerSecond:G4} {unit}/s = {peta:G4} P{unit}/s × 24 h × {inputs[price].Value:G4} USD per P{unit}/s-hour = {usd:G6} USD/day"));
        }
        return WithElectricity("AI", revenue, watts, power, inputs);
    }

    /// <summary>Compares the two uses of one device.</summary>
    public static Decision Decide(UsePricing hashing, UsePricing ai, double hashesPerSecond, MarketInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(hashing);
        ArgumentNullException.ThrowIfNull(ai);
        bool byProfit = hashing.Profit.UsdPerDay is not null && ai.Profit.UsdPerDay is not null;
        double hash = (byProfit ? hashing.Profit.UsdPerDay : hashing.Revenue.UsdPerDay) ?? 0;
        double aiValue = (byProfit ? ai.Profit.UsdPerDay : ai.Revenue.UsdPerDay) ?? 0;
        string basis = byProfit ? "profit" : "revenue, as power was not measured";

        // Hashing's value is linear in the BTC price: revenue = BTC/day × price (less electricity).
        double btcPerDay = BtcPerDay(hashesPerSecond, inputs);
        double electricity = byProfit ? hashing.Electricity.UsdPerDay ?? 0 : 0;
        var btcBreakEven = btcPerDay > 0
            ? new PricedFigure((aiValue + electricity) / btcPerDay, Format(
                $"({aiValue:G6} + {electricity:G6}) USD/day ÷ {btcPerDay:G4} BTC/day = {(aiValue + electricity) / btcPerDay:F0} USD per BTC"))
            : new PricedFigure(null, "no hashes measured");
        PricedFigure? rentBreakEven = null;
        if (inputs.Find(Input.GpuRent) is not null)
        {
            double aiElectricity = byProfit ? ai.Electricity.UsdPerDay ?? 0 : 0;
            double rent = (hash + aiElectricity) / 24;
            rentBreakEven = new(rent, Format($"({hash:G6} + {aiElectricity:G6}) USD/day ÷ 24 h = {rent:G6} USD/h"));
        }
        return new Decision(hashing, ai, hash >= aiValue ? "hashing" : "AI", basis, Math.Abs(hash - aiValue), btcBreakEven, rentBreakEven)
        {
            BothLoseMoney = byProfit && hash < 0 && aiValue < 0,
        };
    }

    private static UsePricing WithElectricity(string use, PricedFigure revenue, double? watts, PowerSource power, MarketInputs inputs)
    {
        if (watts is not double w)
        {
            const string reason = "unknown: power was not measured on this device";
            return new UsePricing(use, revenue, new(null, reason), new(null, reason), null);
        }
        double cost = w * 24 / 1000 * inputs[Input.Electricity].Value;
        string given = power == PowerSource.Given ? " (given)" : "";
        var electricity = new PricedFigure(cost, Format($"{w:F1} W{given} × 24 h ÷ 1000 × {inputs[Input.Electricity].Value:G} USD/kWh = {cost:G6} USD/day"));
        double profit = revenue.UsdPerDay!.Value - cost;
        var net = new PricedFigure(profit, Format($"{revenue.UsdPerDay:G6} − {cost:G6} = {profit:G6} USD/day"));
        return new UsePricing(use, revenue, electricity, net, w) { PowerSource = power };
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
