namespace HashTensorBench.Economics;

/// <summary>
/// Everything the pricing needs besides the measurements. The defaults are dated public figures
/// (<c>market-defaults.json</c>, from <c>shared/data/economics.md</c>, the newest market data from June 2026);
/// every report echoes the inputs it used with their dates, and any can be overridden.
/// </summary>
public sealed record MarketInputs
{
    /// <summary>The built-in defaults.</summary>
    public MarketInputs()
        : this(MarketDefaults.Builtin)
    {
    }

    private MarketInputs(MarketDefaults defaults)
    {
        BtcPrice = defaults.Get("btc-price");
        Difficulty = defaults.Get("difficulty");
        BlockSubsidy = defaults.Get("subsidy");
        FeesPerBlock = defaults.Get("fees");
        PoolFee = defaults.Get("pool-fee");
        ElectricityPrice = defaults.Get("electricity");
        PflopHourPrice = defaults.Get("pflop-hour-price");
    }

    /// <summary>The defaults of <paramref name="defaults"/> (the built-in ones when null).</summary>
    public static MarketInputs From(MarketDefaults? defaults) => new(defaults ?? MarketDefaults.Builtin);

    /// <summary>Bitcoin's price.</summary>
    public MarketInput BtcPrice { get; init; }

    /// <summary>Network difficulty: expected hashes per block are difficulty × 2^32.</summary>
    public MarketInput Difficulty { get; init; }

    /// <summary>New coins per block.</summary>
    public MarketInput BlockSubsidy { get; init; }

    /// <summary>Average transaction fees per block.</summary>
    public MarketInput FeesPerBlock { get; init; }

    /// <summary>The pool's cut of mining revenue, as a fraction.</summary>
    public MarketInput PoolFee { get; init; }

    /// <summary>Electricity price.</summary>
    public MarketInput ElectricityPrice { get; init; }

    /// <summary>What an hour of one GPU rents for; null prices AI work by <see cref="PflopHourPrice"/> instead.</summary>
    public MarketInput? GpuRentalPerHour { get; init; }

    /// <summary>
    /// What one PFLOP/s sustained for an hour (3.6·10^18 FLOP) sells for: prices AI work on devices with no
    /// rental price. The default is an H100 SXM's rent (2.65 USD/h, the middle of 2.35–2.95) over the
    /// 0.79 PFLOP/s cuBLAS reaches on it in FP16.
    /// </summary>
    public MarketInput PflopHourPrice { get; init; }

    /// <summary>Every input with its name, for reports.</summary>
    public IEnumerable<(string Name, MarketInput Input)> All()
    {
        yield return ("BTC price", BtcPrice);
        yield return ("difficulty", Difficulty);
        yield return ("block subsidy", BlockSubsidy);
        yield return ("fees per block", FeesPerBlock);
        yield return ("pool fee", PoolFee);
        yield return ("electricity", ElectricityPrice);
        if (GpuRentalPerHour is not null)
            yield return ("GPU rental", GpuRentalPerHour);
        yield return ("AI compute price", PflopHourPrice);
    }

    /// <summary>Checks that every input is a finite, sensible number.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A price or size is negative or not finite, the difficulty is not positive, or the pool fee is not a fraction.</exception>
    public MarketInputs Validate()
    {
        foreach (var (name, input) in All())
        {
            if (!input.HasValue)
                ThrowHelper.ThrowArgumentOutOfRange(name, $"The {name} has no value: {input.Source}.");
            if (!double.IsFinite(input.Value) || input.Value < 0)
                ThrowHelper.ThrowArgumentOutOfRange(name, $"The {name} must be a finite number of at least 0; got {input.Value}.");
        }
        if (Difficulty.Value <= 0)
            ThrowHelper.ThrowArgumentOutOfRange("difficulty", $"The difficulty must be positive; got {Difficulty.Value}.");
        if (PoolFee.Value >= 1)
            ThrowHelper.ThrowArgumentOutOfRange("pool fee", $"The pool fee is a fraction below 1 (0.02 for 2%); got {PoolFee.Value}.");
        return this;
    }
}
