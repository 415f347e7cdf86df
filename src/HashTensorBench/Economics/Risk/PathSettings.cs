using System.Globalization;

namespace HashTensorBench.Economics.Risk;

/// <summary>
/// What the Monte Carlo paths of a site decision are drawn from: the horizon, how the BTC price and the GPU rent
/// move, how the two move together, and the seed.
/// </summary>
/// <remarks>
/// Every instance is valid: the constructor and each <c>with</c> check the value they set, so a generator never
/// meets a negative volatility. An out-of-range value throws <see cref="ArgumentOutOfRangeException"/> whose
/// parameter name and message give the setting's key (<c>btc-volatility</c>, …).
/// </remarks>
public sealed record PathSettings
{
    /// <summary>The longest horizon, 50 years: long enough for any site, short enough to bound the buffers.</summary>
    public const int MaxMonths = 600;

    /// <summary>Settings with every value given; see each property for its meaning and range.</summary>
    public PathSettings(int months, double btcDrift, double btcVolatility, double rentChange, double rentVolatility,
        double rentBtcCorrelation, ulong seed)
    {
        Months = months;
        BtcDrift = btcDrift;
        BtcVolatility = btcVolatility;
        RentChange = rentChange;
        RentVolatility = rentVolatility;
        RentBtcCorrelation = rentBtcCorrelation;
        Seed = seed;
    }

    /// <summary>Months in a path, month 0 (today, factor 1) included: 1 to <see cref="MaxMonths"/>.</summary>
    public int Months
    {
        get;
        init
        {
            if (value is < 1 or > MaxMonths)
                Throw("months", $"a path covers 1 to {MaxMonths} months", value);
            field = value;
        }
    }

    /// <summary>
    /// The BTC price's yearly arithmetic drift μ (0.1 for +10 % a year): the expected price grows as e^(μ·t),
    /// its median as e^((μ − σ²/2)·t).
    /// </summary>
    public double BtcDrift
    {
        get;
        init
        {
            if (!double.IsFinite(value))
                Throw("btc-drift", "the yearly BTC drift must be a finite number", value);
            field = value;
        }
    }

    /// <summary>The BTC price's yearly volatility σ: the standard deviation of its log over a year; 0 or more.</summary>
    public double BtcVolatility
    {
        get;
        init => field = Volatility(value, "btc-volatility", "the yearly BTC volatility");
    }

    /// <summary>
    /// The GPU rent's yearly trend c (−0.12 for 12 % cheaper each year): the expected rent after t years is
    /// (1 + c)^t times today's. More than −1, as a rent cannot fall to nothing in a year.
    /// </summary>
    public double RentChange
    {
        get;
        init
        {
            if (!double.IsFinite(value) || value <= -1)
                Throw("rent-change", "the yearly change of the GPU rent must be a finite number above -1", value);
            field = value;
        }
    }

    /// <summary>The GPU rent's yearly volatility σr around its trend; 0 or more.</summary>
    public double RentVolatility
    {
        get;
        init => field = Volatility(value, "rent-volatility", "the yearly GPU rent volatility");
    }

    /// <summary>
    /// The correlation ρ of the rent's monthly shocks with BTC's, −1 to 1: AI demand and the BTC price may rise
    /// together (ρ &gt; 0) or one may hedge the other (ρ &lt; 0).
    /// </summary>
    public double RentBtcCorrelation
    {
        get;
        init
        {
            if (!(value is >= -1 and <= 1))
                Throw("rent-btc-correlation", "the correlation of rent and BTC shocks must be from -1 to 1", value);
            field = value;
        }
    }

    /// <summary>The seed: the same seed gives the same paths, bit for bit, on any number of cores.</summary>
    public ulong Seed { get; init; }

    private static double Volatility(double value, string key, string what)
    {
        if (!double.IsFinite(value) || value < 0)
            Throw(key, $"{what} must be a finite number of at least 0", value);
        return value;
    }

    private static void Throw(string key, string rule, double value) =>
        ThrowHelper.ThrowArgumentOutOfRange(key, $"{key}: {rule}; got {value.ToString(CultureInfo.InvariantCulture)}.");
}
