using HashTensorBench.Economics.Finance;

namespace HashTensorBench.Economics.Site;

/// <summary>A figure of the site plan: its value (null when it cannot be had), unit, and the arithmetic or the reason.</summary>
/// <param name="Value">The figure, or null.</param>
/// <param name="Unit">Such as <c>USD/MW</c>.</param>
/// <param name="Note">The computation with the numbers filled in, or why there is no figure.</param>
public sealed record SiteFigure(double? Value, string Unit, string Note)
{
    /// <summary>A missing figure and why.</summary>
    public static SiteFigure Unknown(string unit, string reason) => new(null, unit, reason);
}

/// <summary>One year of a use's cash per MW, undiscounted, and its discounted net.</summary>
/// <param name="Year">1 for months 0–11.</param>
/// <param name="Revenue">Revenue.</param>
/// <param name="Electricity">Electricity, PUE included.</param>
/// <param name="Opex">Costs beyond electricity.</param>
/// <param name="Capex">Purchases and renewals, less the residual value in the horizon's last year.</param>
/// <param name="Net">Revenue − electricity − opex − capex.</param>
/// <param name="Cumulative">The net cash so far.</param>
/// <param name="Discounted">The year's net, each month discounted by (1+r)^(m/12).</param>
/// <param name="CurtailedMonths">Months the machines were switched off, their revenue being below their electricity.</param>
public sealed record SiteYear(int Year, double Revenue, double Electricity, double Opex, double Capex, double Net, double Cumulative,
    double Discounted, int CurtailedMonths);

/// <summary>A use of a MW valued over its horizon: its monthly cash, NPV, IRR, payback, annuity and profit.</summary>
/// <param name="Use">The use's model.</param>
/// <param name="Cash">Its net cash per month, month 0 carrying the first capex and month <see cref="SiteUseModel.Months"/> the residual value.</param>
/// <param name="Years">The same cash, year by year.</param>
/// <param name="CurtailedMonths">Months the machines were switched off.</param>
/// <param name="Npv">Net present value per MW.</param>
/// <param name="Irr">The yearly rate at which the NPV is 0, or none.</param>
/// <param name="PaybackMonth">The month from which the cumulative cash stays at or above 0, or never.</param>
/// <param name="Annuity">The equivalent annual annuity: the level yearly amount worth the NPV over the use's horizon; uses are ranked by it.</param>
/// <param name="ProfitPerYear">Average yearly profit after straight-line depreciation.</param>
/// <param name="FirstYear">Revenue, electricity, opex and net before capex in months 0–11.</param>
public sealed record SiteValuation(SiteUseModel Use, MonthlyFlows Cash, IReadOnlyList<SiteYear> Years, int CurtailedMonths,
    SiteFigure Npv, SiteFigure Irr, SiteFigure PaybackMonth, SiteFigure Annuity, SiteFigure ProfitPerYear, SiteYear FirstYear)
{
    /// <summary>The use's key.</summary>
    public string Key => Use.Key;

    /// <summary>The NPV, for ranking and sums.</summary>
    public double NpvValue => Npv.Value!.Value;

    /// <summary>The annuity, for ranking.</summary>
    public double AnnuityValue => Annuity.Value!.Value;
}

/// <summary>Where the answer flips as one input moves, found by root-finding on the uses' annuities.</summary>
/// <param name="Input">The input moved.</param>
/// <param name="Now">Its value in the plan.</param>
/// <param name="Leader">The use that leads at <paramref name="Now"/>.</param>
/// <param name="Value">The nearest value at which another use takes the lead; null when none does within <paramref name="Range"/>.</param>
/// <param name="NewLeader">The use that leads past <paramref name="Value"/>.</param>
/// <param name="Range">The range searched.</param>
/// <param name="ZeroNpv">Where the moved input brings a use's NPV to 0, by use key (each use the input moves).</param>
public sealed record SiteFlip(InputDefinition Input, double Now, string Leader, double? Value, string? NewLeader, (double Low, double High) Range,
    IReadOnlyDictionary<string, double?> ZeroNpv);

/// <summary>Each use's NPV with one input 20 % lower and 20 % higher (within its bounds).</summary>
/// <param name="Input">The input.</param>
/// <param name="Low">Its lower value.</param>
/// <param name="High">Its higher value.</param>
/// <param name="NpvLow">Each use's NPV at <paramref name="Low"/>, by key.</param>
/// <param name="NpvHigh">Each use's NPV at <paramref name="High"/>, by key.</param>
public sealed record SiteSensitivity(InputDefinition Input, double Low, double High, IReadOnlyDictionary<string, double> NpvLow,
    IReadOnlyDictionary<string, double> NpvHigh);

/// <summary>The site decision: each use valued over its life, ranked, where the ranking flips, and how much each input moves it.</summary>
/// <param name="Model">The monthly model the valuations come from (inputs, options, halvings).</param>
/// <param name="Hashprice">USD per PH/s per day at month 0, before the pool fee (as published).</param>
/// <param name="Valuations">The uses valued, ranked by annuity, highest first.</param>
/// <param name="Flips">Where the answer flips, for the BTC price, difficulty growth, GPU rent, rent change and discount rate.</param>
/// <param name="Sensitivities">The tornado: each input ±20 %, largest swing of the leader's NPV first.</param>
public sealed record SitePlan(SiteModel Model, SiteFigure Hashprice, IReadOnlyList<SiteValuation> Valuations, IReadOnlyList<SiteFlip> Flips,
    IReadOnlyList<SiteSensitivity> Sensitivities)
{
    /// <summary>The inputs.</summary>
    public SiteInputs Inputs => Model.Inputs;

    /// <summary>The use with the highest annuity.</summary>
    public SiteValuation Best => Valuations[0];

    /// <summary>The valuation of use <paramref name="key"/>.</summary>
    public SiteValuation this[string key] => Valuations.Single(v => v.Key == key);
}
