using System.Globalization;

namespace HashTensorBench.Economics.Site;

/// <summary>
/// Everything the per-MW site decision needs: the market (BTC price, difficulty, fees, pool fee,
/// electricity), the site (IT load, PUE, building cost), the ASIC, the GPU (measured by <c>htb compare</c>
/// or its datasheet), GPU rent and utilisation, and the AI colocation price. Every input carries its source.
/// </summary>
public sealed record SiteInputs
{
    /// <summary>BTC price, difficulty, subsidy, fees, pool fee and electricity price.</summary>
    public required MarketInputs Market { get; init; }

    /// <summary>The site's IT load, in MW (totals are per MW times this).</summary>
    public required MarketInput Megawatts { get; init; }

    /// <summary>Power usage effectiveness: facility power ÷ IT power, at least 1.</summary>
    public required MarketInput Pue { get; init; }

    /// <summary>The ASIC the site would mine with.</summary>
    public required AsicReference Asic { get; init; }

    /// <summary>What one ASIC costs.</summary>
    public required MarketInput AsicPrice { get; init; }

    /// <summary>The GPU model the site would host (a name from the reports, or the default's).</summary>
    public required string GpuModel { get; init; }

    /// <summary>One GPU's power serving AI (the GEMM's measured watts, or the datasheet's).</summary>
    public required MarketInput GpuAiWatts { get; init; }

    /// <summary>One GPU's power hashing sha256d.</summary>
    public required MarketInput GpuHashWatts { get; init; }

    /// <summary>One GPU's sha256d rate, hashes per second.</summary>
    public required MarketInput GpuHashRate { get; init; }

    /// <summary>The server's power per GPU beyond the GPU itself (CPUs, memory, fans, network).</summary>
    public required MarketInput GpuOverheadWatts { get; init; }

    /// <summary>What one GPU rents for per hour; unavailable for a device without a rental market.</summary>
    public required MarketInput GpuRent { get; init; }

    /// <summary>The fraction of hours a GPU is rented.</summary>
    public required MarketInput Utilisation { get; init; }

    /// <summary>What a GPU server costs, per GPU.</summary>
    public required MarketInput GpuServerPrice { get; init; }

    /// <summary>What an AI tenant pays per MW of IT load per year to lease the powered shell.</summary>
    public required MarketInput ColoPrice { get; init; }

    /// <summary>The fraction of the electricity bill a colocation tenant pays on top of the lease.</summary>
    public required MarketInput ColoPowerPassthrough { get; init; }

    /// <summary>Building cost of a mining site per MW, ASICs excluded.</summary>
    public required MarketInput MiningCapex { get; init; }

    /// <summary>Building cost of an AI data centre per MW, GPUs excluded.</summary>
    public required MarketInput AiCapex { get; init; }

    /// <summary>
    /// The defaults of <paramref name="defaults"/> for an <paramref name="asicModel"/> site (the defaults' own
    /// ASIC when null) hosting the GPU the defaults describe (an H100 SXM, from its datasheet).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown ASIC model.</exception>
    public static SiteInputs FromDefaults(MarketDefaults defaults, string? asicModel = null)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var watts = defaults.Get("gpu-watts");
        return new SiteInputs
        {
            Market = MarketInputs.From(defaults),
            Megawatts = new MarketInput(1, "MW", "—", "per MW of IT load unless --mw is given"),
            Pue = defaults.Get("pue"),
            Asic = defaults.FindAsic(asicModel ?? defaults.DefaultAsic),
            AsicPrice = defaults.Get("asic-price"),
            GpuModel = "NVIDIA H100 SXM (datasheet)",
            GpuAiWatts = watts,
            GpuHashWatts = watts,
            GpuHashRate = defaults.Get("gpu-hashrate"),
            GpuOverheadWatts = defaults.Get("gpu-overhead-watts"),
            GpuRent = defaults.Get("gpu-rent"),
            Utilisation = defaults.Get("utilisation"),
            GpuServerPrice = defaults.Get("gpu-server-price"),
            ColoPrice = defaults.Get("colo-price"),
            ColoPowerPassthrough = defaults.Get("colo-power-passthrough"),
            MiningCapex = defaults.Get("mining-capex"),
            AiCapex = defaults.Get("ai-capex"),
        };
    }

    /// <summary>
    /// Sets the BTC price that the given hashprice (USD per PH/s per day, before the pool fee) implies at
    /// the inputs' difficulty, subsidy and fees: the model prices mining from the BTC price throughout.
    /// </summary>
    public SiteInputs WithHashprice(MarketInput hashprice)
    {
        ArgumentNullException.ThrowIfNull(hashprice);
        double btcPerPhDay = SiteAnalysis.BtcPerPetahashDay(Market);
        double price = hashprice.Value / btcPerPhDay;
        return this with
        {
            Market = Market with
            {
                BtcPrice = MarketInput.Derived(price, "USD", string.Create(CultureInfo.InvariantCulture,
                    $"implied by the hashprice {hashprice.Value:G} USD per PH/s per day ({(hashprice.Origin == InputOrigin.User ? "set by the user" : hashprice.Source)}): {hashprice.Value:G} ÷ {btcPerPhDay:G6} BTC per PH/s per day = {price:F0} USD")),
            },
        };
    }

    /// <summary>Every input with its name and flag, for reports.</summary>
    public IEnumerable<(string Name, string Key, MarketInput Input)> All()
    {
        yield return ("BTC price", "btc-price", Market.BtcPrice);
        yield return ("difficulty", "difficulty", Market.Difficulty);
        yield return ("block subsidy", "subsidy", Market.BlockSubsidy);
        yield return ("fees per block", "fees", Market.FeesPerBlock);
        yield return ("pool fee", "pool-fee", Market.PoolFee);
        yield return ("electricity", "electricity", Market.ElectricityPrice);
        yield return ("site IT load", "mw", Megawatts);
        yield return ("PUE", "pue", Pue);
        yield return ($"ASIC price ({Asic.Model})", "asic-price", AsicPrice);
        yield return ($"GPU power serving AI ({GpuModel})", "gpu-watts", GpuAiWatts);
        yield return ($"GPU power hashing ({GpuModel})", "gpu-hash-watts", GpuHashWatts);
        yield return ($"GPU sha256d rate ({GpuModel})", "gpu-hashrate", GpuHashRate);
        yield return ("server overhead per GPU", "gpu-overhead-watts", GpuOverheadWatts);
        yield return ("GPU rent", "gpu-rent", GpuRent);
        yield return ("utilisation", "utilisation", Utilisation);
        yield return ("GPU server price per GPU", "gpu-server-price", GpuServerPrice);
        yield return ("AI colocation lease", "colo-price", ColoPrice);
        yield return ("colocation power paid by the tenant", "colo-power-passthrough", ColoPowerPassthrough);
        yield return ("mining site build cost", "mining-capex", MiningCapex);
        yield return ("AI data centre build cost", "ai-capex", AiCapex);
    }

    /// <summary>Checks every input: finite and not negative, a positive IT load, PUE at least 1, fractions in 0–1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input is out of range; the message names it and its flag.</exception>
    public SiteInputs Validate()
    {
        Market.Validate();
        foreach (var (name, key, input) in All())
        {
            if (input.HasValue && (!double.IsFinite(input.Value) || input.Value < 0))
                ThrowHelper.ThrowArgumentOutOfRange(key, $"--{key}: the {name} must be a finite number of at least 0; got {input.Value.ToString(CultureInfo.InvariantCulture)}.");
        }
        Require(Megawatts, "mw", v => v > 0, "the site's IT load must be more than 0 MW");
        Require(Pue, "pue", v => v >= 1, "PUE (facility power ÷ IT power) cannot be below 1");
        Require(Utilisation, "utilisation", v => v <= 1, "utilisation is a fraction from 0 to 1");
        Require(ColoPowerPassthrough, "colo-power-passthrough", v => v <= 1, "the tenant's share of the power bill is a fraction from 0 to 1");
        Require(GpuAiWatts, "gpu-watts", v => v > 0, "a GPU's power must be more than 0 W");
        Require(GpuHashWatts, "gpu-hash-watts", v => v > 0, "a GPU's power must be more than 0 W");
        return this;
    }

    private static void Require(MarketInput input, string key, Func<double, bool> ok, string rule)
    {
        if (input.HasValue && !ok(input.Value))
            ThrowHelper.ThrowArgumentOutOfRange(key, $"--{key}: {rule}; got {input.Value.ToString(CultureInfo.InvariantCulture)}.");
    }
}
