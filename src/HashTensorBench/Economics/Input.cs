namespace HashTensorBench.Economics;

/// <summary>
/// Every market and site input, declared once: key, label, unit, bounds and help. Values and their sources
/// live in <c>market-defaults.json</c> under the same keys; <see cref="MarketInputs"/> holds them by these
/// declarations, and the commands make their flags from <see cref="All"/>.
/// </summary>
public static class Input
{
    private const InputUse Both = InputUse.Site | InputUse.Compare;
    private const string PerYear = "fraction per year";

    // The market: compare and site.

    /// <summary>Bitcoin's price.</summary>
    public static readonly InputDefinition BtcPrice = new() { Key = "btc-price", Label = "BTC price", Unit = "USD", Help = "Bitcoin's price in USD.", Use = Both };

    /// <summary>Network difficulty: a block takes difficulty × 2^32 hashes on average.</summary>
    public static readonly InputDefinition Difficulty = new() { Key = "difficulty", Label = "difficulty", Unit = "× 2^32 hashes per block", Help = "Network difficulty (a block takes difficulty × 2^32 hashes on average).", Use = Both, MinExclusive = true };

    /// <summary>New coins per block.</summary>
    public static readonly InputDefinition Subsidy = new() { Key = "subsidy", Label = "block subsidy", Unit = "BTC", Help = "Block subsidy in BTC (it halves at block 1,050,000 and every 210,000 after).", Use = Both };

    /// <summary>Average transaction fees per block.</summary>
    public static readonly InputDefinition Fees = new() { Key = "fees", Label = "fees per block", Unit = "BTC", Help = "Average fees per block in BTC.", Use = Both };

    /// <summary>The pool's cut of mining revenue.</summary>
    public static readonly InputDefinition PoolFee = new() { Key = "pool-fee", Label = "pool fee", Unit = "fraction", Help = "The pool's fee as a fraction (0.02 for 2%).", Use = Both, Max = 1, MaxExclusive = true };

    /// <summary>Electricity price.</summary>
    public static readonly InputDefinition Electricity = new() { Key = "electricity", Label = "electricity", Unit = "USD/kWh", Help = "Electricity price in USD per kWh.", Use = Both };

    /// <summary>What an hour of one GPU rents for (compare: each GPU's model's typical rent unless set).</summary>
    public static readonly InputDefinition GpuRent = new() { Key = "gpu-rent", Label = "GPU rent", Unit = "USD/h", Help = "What one GPU rents for per hour.", Use = InputUse.Site | InputUse.CompareByDevice };

    /// <summary>What 1 PFLOP/s for an hour sells for: prices floating-point AI work on devices with no rental market.</summary>
    public static readonly InputDefinition PflopHourPrice = new() { Key = "pflop-hour-price", Label = "AI compute price", Unit = "USD per PFLOP/s-hour", Help = "What 1 PFLOP/s (BF16, FP16 or FP32) for an hour sells for, for devices priced by compute.", Use = InputUse.Compare };

    /// <summary>What 10^15 INT8 operations a second for an hour sell for: prices INT8 AI work on devices with no rental market.</summary>
    public static readonly InputDefinition PopHourPrice = new() { Key = "pop-hour-price", Label = "INT8 compute price", Unit = "USD per POP/s-hour", Help = "What 1 POP/s of INT8 (10^15 operations a second) for an hour sells for, for devices priced by compute in --ai-format int8.", Use = InputUse.Compare };

    // The site.

    /// <summary>A hashprice that sets the BTC price (site only; absent unless given).</summary>
    public static readonly InputDefinition Hashprice = new() { Key = "hashprice", Label = "hashprice", Unit = "USD/PH/day", Help = "Hashprice in USD per PH/s per day, before the pool fee, instead of --btc-price.", Optional = true };

    /// <summary>The site's IT load.</summary>
    public static readonly InputDefinition Megawatts = new() { Key = "mw", Label = "site IT load", Unit = "MW", Help = "The site's IT load in MW (figures are per MW; totals multiply).", MinExclusive = true };

    /// <summary>Facility power ÷ IT power.</summary>
    public static readonly InputDefinition Pue = new() { Key = "pue", Label = "PUE", Unit = "", Help = "Power usage effectiveness: facility power ÷ IT power, 1 or more.", Min = 1, Why = "facility power ÷ IT power" };

    /// <summary>An ASIC given by hand: its rated hash rate (with <see cref="AsicJth"/>, instead of a model from the table).</summary>
    public static readonly InputDefinition AsicThs = new() { Key = "asic-ths", Label = "ASIC hash rate", Unit = "TH/s", Help = "An ASIC given by hand: its rated TH/s (with --asic-jth; instead of --asic's table).", MinExclusive = true, Optional = true };

    /// <summary>An ASIC given by hand: its rated efficiency.</summary>
    public static readonly InputDefinition AsicJth = new() { Key = "asic-jth", Label = "ASIC efficiency", Unit = "J/TH", Help = "An ASIC given by hand: its rated J/TH (with --asic-ths).", MinExclusive = true, Optional = true };

    /// <summary>What ASICs cost per TH/s of their rated rate.</summary>
    public static readonly InputDefinition AsicPrice = new() { Key = "asic-price", Label = "ASIC price", Unit = "USD per TH/s", Help = "What new ASICs cost per TH/s of rated hash rate, USD." };

    /// <summary>One GPU's power serving AI.</summary>
    public static readonly InputDefinition GpuWatts = new() { Key = "gpu-watts", Label = "GPU power serving AI", Unit = "W", Help = "One GPU's power serving AI, W (default: measured in the reports, else the datasheet).", MinExclusive = true };

    /// <summary>One GPU's power hashing sha256d.</summary>
    public static readonly InputDefinition GpuHashWatts = new() { Key = "gpu-hash-watts", Label = "GPU power hashing", Unit = "W", Help = "One GPU's power hashing, W (default: measured in the reports, else the datasheet).", MinExclusive = true };

    /// <summary>One GPU's sha256d rate.</summary>
    public static readonly InputDefinition GpuHashRate = new() { Key = "gpu-hashrate", Label = "GPU sha256d rate", Unit = "H/s", Help = "One GPU's sha256d rate, H/s (default: measured in the reports)." };

    /// <summary>The server's power per GPU beyond the GPU.</summary>
    public static readonly InputDefinition GpuOverheadWatts = new() { Key = "gpu-overhead-watts", Label = "server overhead per GPU", Unit = "W", Help = "The server's power per GPU beyond the GPU (host, fans, network), W." };

    /// <summary>The fraction of hours a GPU is rented.</summary>
    public static readonly InputDefinition Utilisation = new() { Key = "utilisation", Label = "utilisation", Unit = "fraction", Help = "The fraction of hours a GPU is rented, 0 to 1.", Max = 1 };

    /// <summary>A GPU server's price per GPU, all-in.</summary>
    public static readonly InputDefinition GpuServerPrice = new() { Key = "gpu-server-price", Label = "GPU server price per GPU", Unit = "USD per GPU", Help = "What a GPU server costs per GPU, all-in (network, racks, labour), USD." };

    /// <summary>What an AI tenant pays per MW of IT load per year.</summary>
    public static readonly InputDefinition ColoPrice = new() { Key = "colo-price", Label = "AI colocation lease", Unit = "USD per MW-year", Help = "What an AI tenant pays per MW of IT load per year." };

    /// <summary>The share of the power bill a colocation tenant pays.</summary>
    public static readonly InputDefinition ColoPowerPassthrough = new() { Key = "colo-power-passthrough", Label = "colocation power paid by the tenant", Unit = "fraction", Help = "The share of the power bill an AI colocation tenant pays, 0 to 1.", Max = 1 };

    /// <summary>Building a mining site per MW, ASICs excluded.</summary>
    public static readonly InputDefinition MiningCapex = new() { Key = "mining-capex", Label = "mining site build cost", Unit = "USD per MW", Help = "Building cost of a mining site per MW, ASICs excluded (sunk on an existing site; counted with --new-site)." };

    /// <summary>Turning a mining site into an AI data centre per MW, GPUs excluded.</summary>
    public static readonly InputDefinition AiCapex = new() { Key = "ai-capex", Label = "AI data centre build cost", Unit = "USD per MW", Help = "Building cost of an AI data centre per MW of critical IT, GPUs excluded." };

    // The site over time.

    /// <summary>How long an ASIC earns before it is replaced.</summary>
    public static readonly InputDefinition AsicLife = new() { Key = "asic-life", Label = "ASIC useful life", Unit = "years", Help = "Years an ASIC is used (and depreciated over) before it is replaced.", MinExclusive = true, Max = 50 };

    /// <summary>How long a GPU server earns before it is replaced.</summary>
    public static readonly InputDefinition GpuLife = new() { Key = "gpu-life", Label = "GPU useful life", Unit = "years", Help = "Years a GPU server is used (and depreciated over) before it is replaced.", MinExclusive = true, Max = 50 };

    /// <summary>The AI colocation lease's term.</summary>
    public static readonly InputDefinition LeaseTerm = new() { Key = "lease-term", Label = "AI colocation lease term", Unit = "years", Help = "Years of the AI colocation lease.", MinExclusive = true, Max = 50 };

    /// <summary>How long the buildings last, for their book value at the horizon.</summary>
    public static readonly InputDefinition FacilityLife = new() { Key = "facility-life", Label = "facility useful life", Unit = "years", Help = "Years the site's buildings and power plant are depreciated over.", MinExclusive = true, Max = 100 };

    /// <summary>A mining site's running costs beyond electricity.</summary>
    public static readonly InputDefinition MiningOpex = new() { Key = "mining-opex", Label = "mining opex beyond electricity", Unit = "USD per MW-year", Help = "A mining site's yearly costs beyond electricity (staff, repairs, insurance), USD per MW." };

    /// <summary>A GPU site's running costs beyond electricity.</summary>
    public static readonly InputDefinition GpuOpex = new() { Key = "gpu-opex", Label = "GPU site opex beyond electricity", Unit = "USD per MW-year", Help = "A GPU site's yearly costs beyond electricity (facility, staff), USD per MW, for GPU cloud and GPU hashing." };

    /// <summary>The landlord's running costs of a colocation lease, as a share of its rent.</summary>
    public static readonly InputDefinition ColoOpex = new() { Key = "colo-opex", Label = "colocation landlord opex", Unit = "fraction of rent", Help = "The landlord's costs of an AI colocation lease beyond electricity, as a fraction of the rent.", Max = 1 };

    /// <summary>Yearly growth of the network difficulty.</summary>
    public static readonly InputDefinition DifficultyGrowth = new() { Key = "difficulty-growth", Label = "difficulty growth", Unit = PerYear, Help = "Yearly growth of the network difficulty (0.2 for +20 %): mining revenue falls by (1+g)^(−months/12).", Min = -0.9, Max = 10 };

    /// <summary>Yearly change of the GPU rent.</summary>
    public static readonly InputDefinition RentChange = new() { Key = "rent-change", Label = "GPU rent change", Unit = PerYear, Help = "Yearly change of the GPU rent (−0.12 for −12 %).", Min = -1, MinExclusive = true };

    /// <summary>Yearly change of the electricity price.</summary>
    public static readonly InputDefinition ElectricityEscalation = new() { Key = "electricity-escalation", Label = "electricity price change", Unit = PerYear, Help = "Yearly change of the electricity price.", Min = -1, MinExclusive = true };

    /// <summary>Yearly change of machine prices, for machines renewed within the horizon.</summary>
    public static readonly InputDefinition CapexChange = new() { Key = "capex-change", Label = "machine price change", Unit = PerYear, Help = "Yearly change of ASIC and GPU server prices, paid when machines are renewed within --years.", Min = -1, MinExclusive = true };

    /// <summary>The yearly rate cash flows are discounted at.</summary>
    public static readonly InputDefinition DiscountRate = new() { Key = "discount-rate", Label = "discount rate", Unit = PerYear, Help = "Yearly discount rate: a month-m flow is divided by (1+r)^(m/12).", Min = -1, MinExclusive = true };

    /// <summary>A block height and its date, to date the halvings.</summary>
    public static readonly InputDefinition Height = new() { Key = "height", Label = "block height", Unit = "blocks", Help = "A recent block height; with its date it dates the next halving at 10 minutes a block." };

    /// <summary>One horizon for every use (absent: each use over its own life).</summary>
    public static readonly InputDefinition Years = new() { Key = "years", Label = "horizon", Unit = "years", Help = "Value every use over the same years, renewing machines at the end of their lives (default: each use over its own life).", MinExclusive = true, Max = 50, Optional = true };

    /// <summary>What machines and buildings are worth at the horizon, as a fraction of their price (absent: straight-line book value).</summary>
    public static readonly InputDefinition Residual = new() { Key = "residual", Label = "residual value", Unit = "fraction of capex", Help = "What each machine and building is worth at the horizon's end, as a fraction of its price (default: its straight-line book value).", Max = 1, Optional = true };

    // Risk.

    /// <summary>The BTC price's yearly volatility.</summary>
    public static readonly InputDefinition BtcVolatility = new() { Key = "btc-volatility", Label = "BTC volatility", Unit = "per √year", Help = "Yearly volatility of the BTC price (σ of its geometric Brownian motion)." };

    /// <summary>The BTC price's expected yearly change.</summary>
    public static readonly InputDefinition BtcDrift = new() { Key = "btc-drift", Label = "BTC drift", Unit = PerYear, Help = "Expected yearly change of the BTC price on the risk paths.", Min = double.NegativeInfinity };

    /// <summary>The GPU rent's yearly volatility around its trend.</summary>
    public static readonly InputDefinition RentVolatility = new() { Key = "rent-volatility", Label = "GPU rent volatility", Unit = "per √year", Help = "Yearly volatility of the GPU rent around its --rent-change trend." };

    /// <summary>How the GPU rent and the BTC price move together.</summary>
    public static readonly InputDefinition RentBtcCorrelation = new() { Key = "rent-btc-correlation", Label = "rent–BTC correlation", Unit = "", Help = "Correlation of the GPU rent's and the BTC price's moves, −1 to 1.", Min = -1, Max = 1 };

    /// <summary>The yearly probability that the colocation tenant leaves.</summary>
    public static readonly InputDefinition TenantDefault = new() { Key = "tenant-default", Label = "tenant default", Unit = "probability per year", Help = "Yearly probability that the colocation tenant leaves; the MW then stands empty for --vacancy-months and is re-let at the current rent.", Max = 1 };

    /// <summary>How long a leased MW stands empty after its tenant leaves.</summary>
    public static readonly InputDefinition VacancyMonths = new() { Key = "vacancy-months", Label = "vacancy after a default", Unit = "months", Help = "Months a leased MW stands empty after its tenant leaves.", Max = 600 };

    /// <summary>Every input, in the order reports list them.</summary>
    public static IReadOnlyList<InputDefinition> All { get; } =
    [
        BtcPrice, Hashprice, Difficulty, Subsidy, Fees, PoolFee, Electricity, GpuRent, PflopHourPrice, PopHourPrice,
        Megawatts, Pue, AsicThs, AsicJth, AsicPrice, GpuWatts, GpuHashWatts, GpuHashRate, GpuOverheadWatts, Utilisation, GpuServerPrice,
        ColoPrice, ColoPowerPassthrough, MiningCapex, AiCapex,
        AsicLife, GpuLife, LeaseTerm, FacilityLife, MiningOpex, GpuOpex, ColoOpex,
        DifficultyGrowth, RentChange, ElectricityEscalation, CapexChange, DiscountRate, Height, Years, Residual,
        BtcVolatility, BtcDrift, RentVolatility, RentBtcCorrelation, TenantDefault, VacancyMonths,
    ];

    /// <summary>The inputs <paramref name="use"/> takes, in report order.</summary>
    public static IEnumerable<InputDefinition> For(InputUse use) => All.Where(d => (d.Use & use) != 0);

    /// <summary>The input called <paramref name="key"/>, or null.</summary>
    public static InputDefinition? Find(string key) => All.FirstOrDefault(d => d.Key == key);
}
