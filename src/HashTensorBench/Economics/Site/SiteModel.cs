using System.Globalization;

namespace HashTensorBench.Economics.Site;

/// <summary>How a site is valued beyond its inputs: when month 0 is, whether the site is built new, whether ASICs are curtailed.</summary>
public sealed record SiteOptions
{
    /// <summary>The first day of month 0: the halvings are placed in months from it.</summary>
    public required DateOnly Start { get; init; }

    /// <summary>
    /// False (the default) for an existing mining site, whose build cost is sunk: only an AI conversion is paid.
    /// True counts the mining site's build for every use, and the AI conversion on top for the AI uses.
    /// </summary>
    public bool NewSite { get; init; }

    /// <summary>True (the default): hashing machines are switched off in any month whose revenue is below their electricity, as miners curtail.</summary>
    public bool Curtail { get; init; } = true;
}

/// <summary>A machine or building a use buys: at month 0 and again at the end of each life within the horizon.</summary>
/// <param name="Name">Such as <c>274 Antminer S21 XP</c>.</param>
/// <param name="Price">Its price per MW at month 0.</param>
/// <param name="LifeYears">Its straight-line depreciation life; it is bought again when that ends within the horizon.</param>
/// <param name="Note">The price's arithmetic.</param>
public sealed record SiteAsset(string Name, double Price, double LifeYears, string Note);

/// <summary>
/// The monthly model of one use of a MW: what it holds, the months it is valued over, what it buys, and its month-by-month
/// revenue, electricity and opex on a path of the BTC price and the GPU rent. Built once per set of inputs by <see cref="SiteModel"/>.
/// </summary>
public sealed class SiteUseModel
{
    private readonly SiteModel _site;
    private readonly Kind _kind;
    private readonly double _revenueBase, _kwhPerMonth, _opexPerMonth, _paidShare;

    internal SiteUseModel(SiteModel site, string key, string name, SiteFigure units, double itWatts, double revenueBase, double opexPerYear,
        double years, string horizonNote, IReadOnlyList<SiteAsset> assets, double paidShare = 1)
    {
        _site = site;
        _kind = key switch
        {
            SiteAnalysis.Asic or SiteAnalysis.GpuHashing => Kind.Hashing,
            SiteAnalysis.GpuCloud => Kind.Rent,
            _ => Kind.Lease,
        };
        Key = key;
        Name = name;
        Units = units;
        ItWatts = itWatts;
        _revenueBase = revenueBase;
        _kwhPerMonth = itWatts / 1000 * site.Pue * SiteModel.HoursPerMonth;
        _opexPerMonth = opexPerYear / 12;
        _paidShare = paidShare;
        Years = years;
        Months = (int)Math.Round(years * 12);
        HorizonNote = horizonNote;
        Assets = assets;
        Capex = CapexFlows(site, assets, Months);
    }

    /// <summary><c>asic</c>, <c>gpu-cloud</c>, <c>colocation</c> or <c>gpu-hashing</c>.</summary>
    public string Key { get; }

    /// <summary>The use in words.</summary>
    public string Name { get; }

    /// <summary>Machines in 1 MW of IT load, with the arithmetic.</summary>
    public SiteFigure Units { get; }

    /// <summary>The IT power they draw.</summary>
    public double ItWatts { get; }

    /// <summary>The horizon in years: the use's own life, or <c>--years</c>.</summary>
    public double Years { get; }

    /// <summary>The horizon in months: operating months 0 to <see cref="Months"/> − 1; the residual value falls in month <see cref="Months"/>.</summary>
    public int Months { get; }

    /// <summary>Why the horizon is what it is.</summary>
    public string HorizonNote { get; }

    /// <summary>What the use buys.</summary>
    public IReadOnlyList<SiteAsset> Assets { get; }

    /// <summary>Capex per month (purchases and renewals, positive) less the residual value in the last month, <see cref="Months"/> + 1 long.</summary>
    public double[] Capex { get; }

    /// <summary>
    /// The use's revenue, electricity and opex for months 0 to <see cref="Months"/> − 1 on a path (<paramref name="btc"/> and
    /// <paramref name="rent"/>: the factors of the BTC price and GPU rent against month 0; <paramref name="uniform"/>: a draw per
    /// month for the colocation tenant's default); returns the curtailed months, and marks each in <paramref name="curtailedMonths"/>
    /// where that is given (empty: not marked).
    /// </summary>
    public int Operate(ReadOnlySpan<double> btc, ReadOnlySpan<double> rent, ReadOnlySpan<double> uniform,
        Span<double> revenue, Span<double> electricity, Span<double> opex, Span<bool> curtailedMonths = default)
    {
        var s = _site;
        int curtailed = 0, vacantUntil = -1;
        double relet = 1;
        for (int m = 0; m < Months; m++)
        {
            double power = _kwhPerMonth * s.ElectricityPrice[m];
            double income, paid = power * _paidShare, cost = _opexPerMonth;
            switch (_kind)
            {
                case Kind.Hashing:
                    income = _revenueBase * btc[m] * s.BtcPerHashSecond[m];
                    if (s.Options.Curtail && income < paid)
                    {
                        income = paid = 0;
                        curtailed++;
                        if (!curtailedMonths.IsEmpty)
                            curtailedMonths[m] = true;
                    }
                    break;
                case Kind.Rent:
                    income = _revenueBase * rent[m];
                    break;
                default:
                    // The lease: a tenant who leaves (a monthly hazard from the yearly probability) leaves the MW empty for the
                    // vacancy, drawing no power; the next tenant pays the lease moved as far as the AI market has moved off its trend.
                    if (m < vacantUntil)
                    {
                        income = paid = 0;
                    }
                    else
                    {
                        if (m == vacantUntil)
                            relet = rent[m] / s.RentTrend[m];
                        if (uniform[m] < s.TenantHazard)
                        {
                            vacantUntil = m + s.VacancyMonths;
                            income = paid = 0;
                        }
                        else
                        {
                            income = _revenueBase * relet;
                        }
                    }
                    cost = s.ColoOpexShare * income;
                    break;
            }
            revenue[m] = income;
            electricity[m] = paid;
            opex[m] = cost;
        }
        return curtailed;
    }

    private enum Kind
    {
        Hashing,
        Rent,
        Lease,
    }

    // Each asset is bought at month 0 and again when its life ends within the horizon, at the price capex-change gives it then;
    // at the horizon it is worth its straight-line book value, or the user's residual fraction of what it cost.
    private static double[] CapexFlows(SiteModel site, IReadOnlyList<SiteAsset> assets, int months)
    {
        var capex = new double[months + 1];
        foreach (var asset in assets)
        {
            int life = Math.Max(1, (int)Math.Round(asset.LifeYears * 12));
            int last = 0;
            double paid = 0;
            for (int m = 0; m < months; m += life)
            {
                paid = asset.Price * Math.Pow(1 + site.CapexChange, m / 12.0);
                capex[m] += paid;
                last = m;
            }
            double residual = site.Residual is double f ? f * paid : paid * Math.Max(0, 1 - (months - last) / (double)life);
            capex[months] -= residual;
        }
        return capex;
    }
}

/// <summary>
/// The month-by-month model of a MW put to each of its four uses, from the inputs: the halvings, the difficulty's growth, the
/// electricity price's escalation, the machines and their lives. Valuation (<see cref="SiteAnalysis"/>) and the risk engine
/// (<see cref="SiteRisk"/>) both price the uses on paths of the BTC price and GPU rent through it.
/// </summary>
public sealed class SiteModel
{
    /// <summary>Hours in a month: 8,760 ÷ 12.</summary>
    public const double HoursPerMonth = 730;

    /// <summary>The block whose subsidy is the first to halve after the defaults' (block 1,050,000), and the interval between halvings.</summary>
    public const int NextHalvingBlock = 1_050_000, HalvingInterval = 210_000;

    private const double SecondsPerMonth = HoursPerMonth * 3600, WattsPerMw = 1e6;
    private static readonly double s_two32 = Math.Pow(2, 32);

    /// <summary>Builds the model of <paramref name="inputs"/> (validated first).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input is out of range.</exception>
    public SiteModel(SiteInputs inputs, SiteOptions options)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        inputs.Validate();
        Inputs = inputs;
        Options = options;
        var v = inputs.Values;
        double V(InputDefinition d) => v[d].Value;
        Pue = V(Input.Pue);
        CapexChange = V(Input.CapexChange);
        Residual = v.Find(Input.Residual)?.Value;
        TenantHazard = 1 - Math.Pow(1 - V(Input.TenantDefault), 1.0 / 12);
        VacancyMonths = Math.Max(1, (int)Math.Round(V(Input.VacancyMonths)));
        ColoOpexShare = V(Input.ColoOpex);

        var height = v[Input.Height];
        var heightDate = height.Date ?? options.Start;
        Halvings = [.. HalvingsFrom(height.Value, heightDate, options.Start)];
        HalvingNote = Halvings.Count == 0
            ? F($"no halving between block {height.Value:N0} and 50 years from {options.Start:yyyy-MM-dd}")
            : F($"block {NextHalvingBlock:N0} is {NextHalvingBlock - height.Value:N0} blocks after block {height.Value:N0} ({heightDate:yyyy-MM-dd}); at 10 minutes a block it falls on {Halvings[0].Date:yyyy-MM-dd}, month {Halvings[0].Month} from {options.Start:yyyy-MM-dd}");

        var uses = new List<SiteUseModel>();
        double? years = v.Find(Input.Years)?.Value;
        double Horizon(InputDefinition life) => years ?? V(life);
        string HorizonNote(InputDefinition life) => years is double y ? F($"{y:G} years (--years)") : F($"{V(life):G} years, its {life.Label}");
        Months = (int)Math.Round(new[] { Input.AsicLife, Input.GpuLife, Input.LeaseTerm }.Max(Horizon) * 12);
        BuildMonths(v);

        double facility = V(Input.FacilityLife);
        var mining = new SiteAsset("mining site build", V(Input.MiningCapex), facility, F($"{V(Input.MiningCapex):N0} USD per MW"));
        var ai = new SiteAsset("AI data centre build", V(Input.AiCapex), facility, F($"{V(Input.AiCapex):N0} USD per MW"));
        SiteAsset[] aiBuild = options.NewSite ? [mining, ai] : [ai];

        var asic = inputs.Asic;
        double asicUnits = Math.Floor(WattsPerMw / asic.Watts);
        double asicHashes = asicUnits * asic.TerahashesPerSecond * 1e12;
        double asicPrice = asicUnits * asic.TerahashesPerSecond * V(Input.AsicPrice);
        var asicUnitsFigure = new SiteFigure(asicUnits, $"{asic.Model} units", F(
            $"⌊10^6 W ÷ ({asic.TerahashesPerSecond:G} TH/s × {asic.JoulesPerTerahash:G} J/TH = {asic.Watts:G6} W)⌋ = {asicUnits:F0} units, {asicUnits * asic.TerahashesPerSecond / 1000:G6} PH/s"));
        uses.Add(new SiteUseModel(this, SiteAnalysis.Asic, $"ASIC mining ({asic.Model})", asicUnitsFigure, asicUnits * asic.Watts,
            asicHashes * V(Input.BtcPrice), V(Input.MiningOpex), Horizon(Input.AsicLife), HorizonNote(Input.AsicLife),
            [new SiteAsset($"{asicUnits:F0} {asic.Model}", asicPrice, V(Input.AsicLife),
                F($"{asicUnits:F0} units × {asic.TerahashesPerSecond:G} TH/s × {V(Input.AsicPrice):G} USD per TH/s = {asicPrice:N0} USD")),
             .. options.NewSite ? new[] { mining } : []]));

        double serverPrice = V(Input.GpuServerPrice);
        double aiWall = V(Input.GpuWatts) + V(Input.GpuOverheadWatts);
        double aiGpus = Math.Floor(WattsPerMw / aiWall);
        var rent = v[Input.GpuRent];
        if (rent.HasValue)
        {
            double perMonth = aiGpus * rent.Value * V(Input.Utilisation) * HoursPerMonth;
            uses.Add(new SiteUseModel(this, SiteAnalysis.GpuCloud, $"GPU cloud ({inputs.GpuModel} rented out)", GpuUnits(inputs, V(Input.GpuWatts), aiGpus, "serving AI"),
                aiGpus * aiWall, perMonth, V(Input.GpuOpex), Horizon(Input.GpuLife), HorizonNote(Input.GpuLife),
                [Servers(aiGpus, serverPrice, V(Input.GpuLife)), .. aiBuild]));
        }
        else
        {
            Unvalued = [(SiteAnalysis.GpuCloud, $"GPU cloud is not valued: no rent ({rent.Source})")];
        }

        uses.Add(new SiteUseModel(this, SiteAnalysis.Colocation, "AI colocation (power leased)",
            new SiteFigure(1, "MW leased", "the whole MW of IT load, leased to an AI tenant who brings the GPUs"), WattsPerMw,
            V(Input.ColoPrice) / 12, 0, Horizon(Input.LeaseTerm), HorizonNote(Input.LeaseTerm), aiBuild, 1 - V(Input.ColoPowerPassthrough)));

        var hashRate = v[Input.GpuHashRate];
        if (hashRate.HasValue)
        {
            double hashWall = V(Input.GpuHashWatts) + V(Input.GpuOverheadWatts);
            double hashGpus = Math.Floor(WattsPerMw / hashWall);
            uses.Add(new SiteUseModel(this, SiteAnalysis.GpuHashing, $"GPU hashing ({inputs.GpuModel} on sha256d)", GpuUnits(inputs, V(Input.GpuHashWatts), hashGpus, "hashing"),
                hashGpus * hashWall, hashGpus * hashRate.Value * V(Input.BtcPrice), V(Input.GpuOpex), Horizon(Input.GpuLife), HorizonNote(Input.GpuLife),
                [Servers(hashGpus, serverPrice, V(Input.GpuLife)), .. aiBuild]));
        }
        else
        {
            Unvalued = [.. Unvalued, (SiteAnalysis.GpuHashing, $"GPU hashing is not valued: no sha256d rate ({hashRate.Source})")];
        }
        Uses = uses;
    }

    /// <summary>The inputs.</summary>
    public SiteInputs Inputs { get; }

    /// <summary>The options.</summary>
    public SiteOptions Options { get; }

    /// <summary>The uses valued, in report order: ASIC mining, GPU cloud (where the GPU has a rent), AI colocation, GPU hashing.</summary>
    public IReadOnlyList<SiteUseModel> Uses { get; }

    /// <summary>Uses left out, and why.</summary>
    public IReadOnlyList<(string Key, string Reason)> Unvalued { get; } = [];

    /// <summary>The longest horizon of the uses, in months: the length of the paths.</summary>
    public int Months { get; }

    /// <summary>
    /// The halvings after the defaults' block height, up to 50 years from month 0: their date, the month they fall in (negative
    /// when before month 0) and the subsidy from then on.
    /// </summary>
    public IReadOnlyList<(DateOnly Date, int Month, double Subsidy)> Halvings { get; }

    /// <summary>How the first halving's month was estimated.</summary>
    public string HalvingNote { get; }

    /// <summary>BTC earned per month per H/s, after the pool fee, as the subsidy halves and the difficulty grows.</summary>
    public double[] BtcPerHashSecond { get; private set; } = [];

    /// <summary>The electricity price in month m, USD/kWh.</summary>
    public double[] ElectricityPrice { get; private set; } = [];

    /// <summary>The GPU rent's trend (1 + rent-change)^(m/12), the path a rent takes with no volatility.</summary>
    public double[] RentTrend { get; private set; } = [];

    internal double Pue { get; }

    internal double CapexChange { get; }

    internal double? Residual { get; }

    internal double TenantHazard { get; }

    internal int VacancyMonths { get; }

    internal double ColoOpexShare { get; }

    /// <summary>The block subsidy in month <paramref name="month"/>.</summary>
    public double SubsidyAt(int month)
    {
        double subsidy = Inputs[Input.Subsidy].Value;
        foreach (var halving in Halvings)
        {
            if (month >= halving.Month)
                subsidy = halving.Subsidy;
        }
        return subsidy;
    }

    private void BuildMonths(MarketInputs v)
    {
        double difficulty = v[Input.Difficulty].Value, growth = v[Input.DifficultyGrowth].Value;
        double fees = v[Input.Fees].Value, keep = 1 - v[Input.PoolFee].Value;
        double power = v[Input.Electricity].Value, escalation = v[Input.ElectricityEscalation].Value, rentChange = v[Input.RentChange].Value;
        BtcPerHashSecond = new double[Months];
        ElectricityPrice = new double[Months];
        RentTrend = new double[Months];
        for (int m = 0; m < Months; m++)
        {
            double years = m / 12.0;
            BtcPerHashSecond[m] = SecondsPerMonth * (SubsidyAt(m) + fees) / (difficulty * Math.Pow(1 + growth, years) * s_two32) * keep;
            ElectricityPrice[m] = power * Math.Pow(1 + escalation, years);
            RentTrend[m] = Math.Pow(1 + rentChange, years);
        }
    }

    // Halvings after month 0, dated at 10 minutes a block from a known height; the month is the one the date falls in.
    private IEnumerable<(DateOnly, int, double)> HalvingsFrom(double height, DateOnly heightDate, DateOnly start)
    {
        double subsidy = Inputs[Input.Subsidy].Value;
        for (double block = NextHalvingBlock; block < height + 50 * 52_560 + HalvingInterval; block += HalvingInterval)
        {
            if (block <= height)
                continue;
            var date = heightDate.AddDays((int)Math.Floor((block - height) * 10 / 1440.0));
            int month = (date.Year - start.Year) * 12 + date.Month - start.Month;
            subsidy /= 2;
            if (month < 600)
                yield return (date, month, subsidy);
        }
    }

    private static SiteAsset Servers(double gpus, double price, double life) =>
        new($"{gpus:F0} GPU servers", gpus * price, life, F($"{gpus:F0} GPUs × {price:N0} USD per GPU = {gpus * price:N0} USD"));

    private static SiteFigure GpuUnits(SiteInputs inputs, double gpuWatts, double units, string use) => new(units, "GPUs", F(
        $"⌊10^6 W ÷ ({gpuWatts:F0} W per GPU {use} + {inputs[Input.GpuOverheadWatts].Value:F0} W server overhead)⌋ = {units:F0} GPUs"));

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
