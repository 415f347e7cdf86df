namespace HashTensorBench.Economics;

/// <summary>
/// Everything the pricing needs besides the measurements. The defaults are dated public figures
/// (<c>shared/data/economics.md</c>, collected 2026-11-25, the newest market data then from June 2026);
/// every report echoes the inputs it used with their dates, and any can be overridden.
/// </summary>
public sealed record MarketInputs
{
    /// <summary>Bitcoin's price.</summary>
    public MarketInput BtcPrice { get; init; } = new(60_000, "USD", "2026-06 (late)", "coininsight.co.uk; bitcoingate.net");

    /// <summary>Network difficulty: expected hashes per block are difficulty × 2^32.</summary>
    public MarketInput Difficulty { get; init; } = new(133.87e12, "", "2026-06-26 (block 955,584)", "bt-miners.com");

    /// <summary>New coins per block.</summary>
    public MarketInput BlockSubsidy { get; init; } = new(3.125, "BTC", "since block 840,000 (2024-04-20), until 1,050,000", "Bitcoin Core chainparams");

    /// <summary>Average transaction fees per block.</summary>
    public MarketInput FeesPerBlock { get; init; } = new(0.017, "BTC", "week to 2026-01-12", "Hashrate Index (derived per block)");

    /// <summary>The pool's cut of mining revenue, as a fraction.</summary>
    public MarketInput PoolFee { get; init; } = new(0.02, "fraction", "early 2026", "typical FPPS fee (spark.money pool comparison)");

    /// <summary>Electricity price.</summary>
    public MarketInput ElectricityPrice { get; init; } = new(0.05, "USD/kWh", "2025–2026", "between large miners (0.038–0.049) and the US industrial average (0.093, EIA Jan 2026)");

    /// <summary>What an hour of one GPU rents for; null prices AI work by <see cref="PflopHourPrice"/> instead.</summary>
    public MarketInput? GpuRentalPerHour { get; init; }

    /// <summary>
    /// What one PFLOP/s sustained for an hour (3.6·10^18 FLOP) sells for: prices AI work on devices with no
    /// rental price. The default is an H100 SXM's rent (2.65 USD/h, the middle of 2.35–2.95) over the
    /// 0.79 PFLOP/s cuBLAS reaches on it in FP16.
    /// </summary>
    public MarketInput PflopHourPrice { get; init; } = new(2.65 / 0.79, "USD per PFLOP/s-hour", "2026-03 to 2026-05", "H100 SXM rent 2.35–2.95 USD/h (SemiAnalysis, aimultiple) over 0.79 PFLOP/s FP16 (derived)");

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
