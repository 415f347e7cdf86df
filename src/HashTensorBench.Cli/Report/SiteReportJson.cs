using System.Globalization;
using System.Text.Json;
using HashTensorBench.Comparison;
using HashTensorBench.Economics.Risk;
using HashTensorBench.Economics.Site;

namespace HashTensorBench.Cli.Report;

/// <summary>
/// The site report as JSON, in the compare report's manner: every figure an object with its value (null
/// when unknown), unit and source (<c>derived</c> with its arithmetic, <c>unavailable</c> with the reason);
/// every input with <c>default</c> (date, publisher, age), <c>user</c>, <c>measured</c> (report and device) or <c>derived</c>.
/// </summary>
internal static class SiteReportJson
{
    public static void Write(Stream stream, SiteReport report)
    {
        var plan = report.Plan;
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("tool", "htb site");
        writer.WriteString("generated", report.Generated.ToString("O"));
        writer.WriteString("per", "MW of IT load");
        writer.WriteStartObject("defaults");
        ReportJson.WriteDefaults(writer, report.Defaults, report.Today);
        ReportJson.WriteStale(writer, report.Ages);
        writer.WriteEndObject();

        writer.WriteStartObject("asic");
        writer.WriteString("model", plan.Inputs.Asic.Model);
        writer.WriteNumber("terahashes_per_second", plan.Inputs.Asic.TerahashesPerSecond);
        writer.WriteNumber("joules_per_terahash", plan.Inputs.Asic.JoulesPerTerahash);
        writer.WriteString("source", "default");
        writer.WriteString("published_by", plan.Inputs.Asic.Source);
        writer.WriteEndObject();
        writer.WriteString("gpu_model", plan.Inputs.GpuModel);
        writer.WriteStartArray("inputs");
        foreach (var (input, value) in plan.Inputs.All())
        {
            // The flag is the input's key, as in the defaults file.
            ReportJson.WriteInput(writer, $"{input.Label} (--{input.Key})", value, today: report.Today);
        }
        writer.WriteEndArray();
        writer.WriteStartArray("assumptions");
        foreach (var input in plan.Inputs.Assumptions())
            writer.WriteStringValue(input.Key);
        writer.WriteEndArray();
        Figure(writer, "hashprice", plan.Hashprice);

        var model = plan.Model;
        writer.WriteStartObject("site");
        writer.WriteString("month_0", model.Options.Start.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        writer.WriteBoolean("new_site", model.Options.NewSite);
        writer.WriteBoolean("curtailment", model.Options.Curtail);
        writer.WriteStartArray("halvings");
        foreach (var (date, month, subsidy) in model.Halvings)
        {
            writer.WriteStartObject();
            writer.WriteString("date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.WriteNumber("month", month);
            writer.WriteNumber("subsidy_btc", subsidy);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteString("halving_estimate", model.HalvingNote);
        writer.WriteStartArray("not_valued");
        foreach (var (key, reason) in model.Unvalued)
        {
            writer.WriteStartObject();
            writer.WriteString("use", key);
            writer.WriteString("reason", reason);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();

        writer.WriteStartArray("uses");
        foreach (var v in plan.Valuations)
            Use(writer, v);
        writer.WriteEndArray();

        Risk(writer, report.Risk);

        writer.WriteStartArray("flips");
        foreach (var f in plan.Flips)
        {
            writer.WriteStartObject();
            writer.WriteString("input", f.Input.Key);
            writer.WriteString("unit", f.Input.Unit);
            writer.WriteNumber("now", f.Now);
            writer.WriteString("leader", f.Leader);
            Nullable(writer, "value", f.Value);
            writer.WriteString("new_leader", f.NewLeader);
            writer.WriteNumber("searched_from", f.Range.Low);
            writer.WriteNumber("searched_to", f.Range.High);
            writer.WriteStartObject("npv_zero");
            foreach (var (key, zero) in f.ZeroNpv)
                Nullable(writer, key, zero);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("sensitivity");
        foreach (var row in plan.Sensitivities)
        {
            writer.WriteStartObject();
            writer.WriteString("input", row.Input.Key);
            writer.WriteNumber("low", row.Low);
            writer.WriteNumber("high", row.High);
            writer.WriteStartObject("npv_low");
            foreach (var (key, npv) in row.NpvLow)
                writer.WriteNumber(key, npv);
            writer.WriteEndObject();
            writer.WriteStartObject("npv_high");
            foreach (var (key, npv) in row.NpvHigh)
                writer.WriteNumber(key, npv);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        if (report.Merged is { } merged)
            WriteMerged(writer, merged, report.Model);
        else
            writer.WriteNull("measured");

        writer.WriteStartObject("sweeps");
        Sweep(writer, "annuity_vs_btc_price", "btc_price_usd", report.ByBtcPrice);
        Sweep(writer, "annuity_vs_gpu_rent", "gpu_rent_usd_per_hour", report.ByRent);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void Use(Utf8JsonWriter writer, SiteValuation v)
    {
        writer.WriteStartObject();
        writer.WriteString("key", v.Key);
        writer.WriteString("name", v.Use.Name);
        writer.WriteNumber("horizon_years", v.Use.Years);
        writer.WriteString("horizon", v.Use.HorizonNote);
        Figure(writer, "units", v.Use.Units);
        writer.WriteNumber("it_watts", v.Use.ItWatts);
        writer.WriteStartArray("assets");
        foreach (var a in v.Use.Assets)
        {
            writer.WriteStartObject();
            writer.WriteString("name", a.Name);
            writer.WriteNumber("price_usd", a.Price);
            writer.WriteNumber("life_years", a.LifeYears);
            writer.WriteString("arithmetic", a.Note);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        Figure(writer, "npv", v.Npv);
        Figure(writer, "annuity", v.Annuity);
        Figure(writer, "irr", v.Irr);
        Figure(writer, "payback_month", v.PaybackMonth);
        Figure(writer, "profit_per_year_after_depreciation", v.ProfitPerYear);
        writer.WriteNumber("months_curtailed", v.CurtailedMonths);
        writer.WriteStartArray("years");
        foreach (var y in v.Years)
        {
            writer.WriteStartObject();
            writer.WriteNumber("year", y.Year);
            writer.WriteNumber("revenue", y.Revenue);
            writer.WriteNumber("electricity", y.Electricity);
            writer.WriteNumber("opex", y.Opex);
            writer.WriteNumber("capex_less_residual", y.Capex);
            writer.WriteNumber("net", y.Net);
            writer.WriteNumber("cumulative", y.Cumulative);
            writer.WriteNumber("net_discounted", y.Discounted);
            writer.WriteNumber("months_curtailed", y.CurtailedMonths);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteString("years_unit", "USD per MW");
        writer.WriteEndObject();
    }

    private static void Risk(Utf8JsonWriter writer, SiteRiskResult risk)
    {
        var s = risk.Settings;
        writer.WriteStartObject("risk");
        writer.WriteNumber("paths", risk.Paths);
        writer.WriteNumber("seed", s.Seed);
        writer.WriteNumber("btc_volatility", s.BtcVolatility);
        writer.WriteNumber("btc_drift", s.BtcDrift);
        writer.WriteNumber("rent_change", s.RentChange);
        writer.WriteNumber("rent_volatility", s.RentVolatility);
        writer.WriteNumber("rent_btc_correlation", s.RentBtcCorrelation);
        writer.WriteStartArray("uses");
        foreach (var u in risk.Uses)
        {
            writer.WriteStartObject();
            writer.WriteString("key", u.Key);
            Quantiles(writer, "npv", u.Npv);
            Quantiles(writer, "annuity", u.Annuity);
            writer.WriteNumber("mean_months_curtailed", u.MeanCurtailedMonths);
            writer.WriteStartArray("discounted_cash_by_year");
            foreach (var q in u.Fan)
                Quantiles(writer, null, q);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("efficient_mixes");
        foreach (var m in risk.Frontier.Efficient.OrderByDescending(m => m.Quantiles.P50))
            Mix(writer, risk, m, null);
        writer.WriteEndArray();
        writer.WriteNumber("mixes_compared", risk.Frontier.Mixes.Count);
        if (risk.Mix is { } mine)
            Mix(writer, risk, mine, "mix");
        else
            writer.WriteNull("mix");
        writer.WriteString("unit", "USD per MW; the mixes by their annuity (USD per MW per year)");
        writer.WriteEndObject();
    }

    private static void Mix(Utf8JsonWriter writer, SiteRiskResult risk, MixOutcome mix, string? name)
    {
        if (name is null)
            writer.WriteStartObject();
        else
            writer.WriteStartObject(name);
        writer.WriteStartObject("shares");
        for (int i = 0; i < risk.Keys.Count; i++)
            writer.WriteNumber(risk.Keys[i], mix.Shares[i]);
        writer.WriteEndObject();
        Quantiles(writer, "annuity", mix.Quantiles);
        writer.WriteEndObject();
    }

    private static void Quantiles(Utf8JsonWriter writer, string? name, Quantiles q)
    {
        if (name is null)
            writer.WriteStartObject();
        else
            writer.WriteStartObject(name);
        writer.WriteNumber("p10", q.P10);
        writer.WriteNumber("p50", q.P50);
        writer.WriteNumber("p90", q.P90);
        writer.WriteNumber("probability_of_loss", q.ProbabilityOfLoss);
        writer.WriteEndObject();
    }

    private static void Nullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is double v)
            writer.WriteNumber(name, v);
        else
            writer.WriteNull(name);
    }

    private static void WriteMerged(Utf8JsonWriter writer, MergedReports merged, ModelSummary? used)
    {
        writer.WriteStartObject("measured");
        writer.WriteStartArray("reports");
        foreach (string r in merged.Reports)
            writer.WriteStringValue(r);
        writer.WriteEndArray();
        writer.WriteString("model_used", used?.Model);
        writer.WriteStartArray("partial_reports");
        foreach (var (path, why, isMerged) in merged.Partial)
        {
            writer.WriteStartObject();
            writer.WriteString("report", path);
            writer.WriteString("why", why);
            writer.WriteBoolean("merged", isMerged);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("models");
        foreach (var m in merged.Models)
        {
            writer.WriteStartObject();
            writer.WriteString("model", m.Model);
            writer.WriteNumber("devices", m.Devices.Count);
            Median(writer, "sha256d_rate", m.MedianHashRate, "H/s", m.SourceOf(d => d.HashRate));
            Median(writer, "watts_hashing", m.MedianHashWatts, "W", m.SourceOf(d => d.HashWatts));
            Median(writer, "gemm_rate", m.MedianGemmRate, "FLOP/s", $"{m.SourceOf(d => d.GemmRate)}; {m.GemmWorkloads}");
            Median(writer, "watts_gemm", m.MedianGemmWatts, "W", m.SourceOf(d => d.GemmWatts));
            writer.WriteStartArray("outliers");
            foreach (var o in m.Outliers)
            {
                writer.WriteStartObject();
                writer.WriteString("report", o.Device.Report);
                writer.WriteString("device", o.Device.Id);
                writer.WriteString("figure", o.Figure);
                writer.WriteNumber("value", o.Value);
                writer.WriteNumber("peer_median", o.PeerMedian);
                writer.WriteString("description", o.Description);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Median(Utf8JsonWriter writer, string name, double? value, string unit, string source) =>
        ReportJson.WriteFigure(writer, name, value, unit, value is null ? "unavailable" : "measured", value is null ? "not measured on any device of the model" : source);

    private static void Figure(Utf8JsonWriter writer, string name, SiteFigure figure) =>
        ReportJson.WriteFigure(writer, name, figure.Value, figure.Unit, figure.Value is null ? "unavailable" : "derived", figure.Note);

    private static void Sweep(Utf8JsonWriter writer, string name, string x, IReadOnlyList<SitePoint> points)
    {
        writer.WriteStartArray(name);
        foreach (var p in points)
        {
            writer.WriteStartObject();
            writer.WriteNumber(x, p.X);
            foreach (var (key, annuity) in p.Annuity)
                Nullable(writer, key, annuity);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteString($"{name}_unit", "USD per MW of IT load per year, equivalent annual annuity (derived: the plan recomputed at each point)");
    }
}
