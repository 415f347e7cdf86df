namespace HashTensorBench.Economics.Site;

/// <summary>A figure of the site plan: its value (null when an input it needs is unavailable), unit, and the arithmetic or the reason.</summary>
/// <param name="Value">The figure, or null.</param>
/// <param name="Unit">Such as <c>USD/MW/year</c>.</param>
/// <param name="Note">The computation with the numbers filled in, or why the figure is unknown.</param>
public sealed record SiteFigure(double? Value, string Unit, string Note)
{
    /// <summary>An unknown figure and why.</summary>
    public static SiteFigure Unknown(string unit, string reason) => new(null, unit, reason);
}

/// <summary>One use of a megawatt of IT load, per year.</summary>
/// <param name="Key"><c>mining</c>, <c>gpu-cloud</c>, <c>colocation</c> or <c>gpu-hashing</c>.</param>
/// <param name="Name">The scenario in words.</param>
/// <param name="Units">Machines that fit in 1 MW of IT load (ASICs, GPUs, or the leased MW).</param>
/// <param name="ItWatts">The IT power those units draw.</param>
/// <param name="Revenue">Revenue per MW per year.</param>
/// <param name="Electricity">Electricity cost per MW per year, PUE included.</param>
/// <param name="Profit">Revenue less electricity, per MW per year.</param>
/// <param name="Capex">Building plus machines, per MW.</param>
/// <param name="PaybackYears">Capex ÷ profit; unknown without capex, never where profit is not positive.</param>
public sealed record SiteScenario(string Key, string Name, SiteFigure Units, SiteFigure ItWatts, SiteFigure Revenue,
    SiteFigure Electricity, SiteFigure Profit, SiteFigure Capex, SiteFigure PaybackYears);

/// <summary>Where the answer flips.</summary>
/// <param name="BtcPriceVsGpuCloud">The BTC price at which mining's profit per MW equals GPU cloud's.</param>
/// <param name="HashpriceVsGpuCloud">The same, as a hashprice (USD per PH/s per day, before the pool fee).</param>
/// <param name="BtcPriceVsColocation">The BTC price at which mining's profit per MW equals AI colocation's.</param>
/// <param name="HashpriceVsColocation">The same, as a hashprice.</param>
/// <param name="GpuRent">The GPU rent (at the given utilisation) at which GPU cloud's profit equals mining's.</param>
/// <param name="Utilisation">The utilisation (at the given rent) at which GPU cloud's profit equals mining's.</param>
/// <param name="RentTimesUtilisation">The rent × utilisation (USD per GPU-hour of the year) at which they are equal.</param>
public sealed record SiteBreakEven(SiteFigure BtcPriceVsGpuCloud, SiteFigure HashpriceVsGpuCloud, SiteFigure BtcPriceVsColocation,
    SiteFigure HashpriceVsColocation, SiteFigure GpuRent, SiteFigure Utilisation, SiteFigure RentTimesUtilisation);

/// <summary>The four uses of a megawatt side by side, where they break even, and the inputs behind them.</summary>
/// <param name="Inputs">The inputs, each with its source.</param>
/// <param name="Hashprice">USD per PH/s per day at the inputs, before the pool fee (as published).</param>
/// <param name="Scenarios">Mining, GPU cloud, AI colocation, GPU hashing, in that order.</param>
/// <param name="BreakEven">The break-even BTC price, hashprice, rent and utilisation.</param>
public sealed record SitePlan(SiteInputs Inputs, SiteFigure Hashprice, IReadOnlyList<SiteScenario> Scenarios, SiteBreakEven BreakEven)
{
    /// <summary>The scenario <paramref name="key"/>.</summary>
    public SiteScenario this[string key] => Scenarios.Single(s => s.Key == key);

    /// <summary>The scenario with the highest known profit per MW.</summary>
    public SiteScenario? Best => Scenarios.Where(s => s.Profit.Value is not null).MaxBy(s => s.Profit.Value);
}

/// <summary>Profit per MW per year of each scenario at one value of a swept input.</summary>
/// <param name="X">The swept input's value (BTC price in USD, or rent × utilisation in USD per GPU-hour).</param>
/// <param name="Profit">Profit per MW per year by scenario key; null where unknown.</param>
public sealed record SensitivityPoint(double X, IReadOnlyDictionary<string, double?> Profit);
