using HashTensorBench.Economics;
using HashTensorBench.Economics.Finance;
using HashTensorBench.Economics.Site;

namespace HashTensorBench.Tests.Economics.Site;

public class SiteAnalysisTests
{
    // Month 0 is December 2026; block 1,050,000 falls on 2028-04-11 (94,416 blocks × 10 min after 2026-06-26), month 16.
    private static readonly SiteOptions s_options = new() { Start = new DateOnly(2026, 12, 1) };

    private static SiteInputs Defaults() => SiteInputs.FromDefaults(MarketDefaults.Builtin);

    // 274 S21 XP (270 TH/s, 13.5 J/TH, 3,645 W) fill 1 MW; 2^32 hashes per unit of difficulty; a month is 730 h.
    private const double Units = 274, Hashes = Units * 270e12, SecondsPerMonth = 730 * 3600, Two32 = 4_294_967_296;
    private const double AsicRevenuePerMonth = Hashes * SecondsPerMonth * (3.125 + 0.017) / (133.87e12 * Two32) * 0.98 * 60_000;
    private const double AsicElectricityPerMonth = Units * 3.645 * 1.2 * 730 * 0.05;
    private const double AsicCapex = Units * 270 * 9;

    [Fact]
    public void One_year_at_no_growth_and_no_discount_is_that_years_profit_less_capex()
    {
        var inputs = Defaults().With(Input.Years, 1).With(Input.DiscountRate, 0).With(Input.DifficultyGrowth, 0).With(Input.Residual, 0);
        var plan = SiteAnalysis.Analyze(inputs, s_options);
        var asic = plan[SiteAnalysis.Asic];
        double profit = 12 * (AsicRevenuePerMonth - AsicElectricityPerMonth - 90_000 / 12.0);
        Assert.Equal(12, asic.Use.Months);
        Assert.Equal(AsicCapex, asic.Use.Capex[0], 6);
        Assert.Equal(profit - AsicCapex, asic.NpvValue, 6);
        Assert.Equal(-531_097.7, asic.NpvValue, 0.05);
        // Over one year the annuity is the NPV itself, and the profit after depreciation is the same sum.
        Assert.Equal(asic.NpvValue, asic.AnnuityValue, 6);
        Assert.Equal(asic.NpvValue, asic.ProfitPerYear.Value!.Value, 6);
        // AI colocation: a year's lease, 15 % of it to the landlord's opex, and the AI conversion; the tenant pays the power.
        var colo = plan[SiteAnalysis.Colocation];
        Assert.Equal(1_830_000 * 0.85 - 10_000_000, colo.NpvValue, 6);
        // Where the operator pays it, a MW at PUE 1.2 all year.
        var paying = SiteAnalysis.Analyze(inputs.With(Input.ColoPowerPassthrough, 0), s_options)[SiteAnalysis.Colocation];
        Assert.Equal(1_830_000 * 0.85 - 1000 * 1.2 * 8760 * 0.05 - 10_000_000, paying.NpvValue, 6);
    }

    [Fact]
    public void The_subsidy_halves_from_the_month_of_block_1_050_000()
    {
        var model = new SiteModel(Defaults().With(Input.DifficultyGrowth, 0), s_options);
        var halving = model.Halvings[0];
        Assert.Equal(new DateOnly(2028, 4, 11), halving.Date);
        Assert.Equal(16, halving.Month);
        Assert.Equal(3.125, model.SubsidyAt(15));
        Assert.Equal(1.5625, model.SubsidyAt(16));
        Assert.Equal(model.BtcPerHashSecond[0], model.BtcPerHashSecond[15]);
        Assert.Equal((1.5625 + 0.017) / (3.125 + 0.017), model.BtcPerHashSecond[16] / model.BtcPerHashSecond[15], 12);
        Assert.Contains("falls on 2028-04-11, month 16", model.HalvingNote);
        // The next one, 210,000 blocks later (1,458.33 days), in 2032.
        Assert.Equal(new DateOnly(2032, 4, 9), model.Halvings[1].Date);
    }

    [Fact]
    public void Month_m_mining_revenue_falls_by_the_difficulty_growth()
    {
        // Uncurtailed: by month 15 the S21 XP earns less than its power costs.
        var model = new SiteModel(Defaults().With(Input.DifficultyGrowth, 0.35), s_options with { Curtail = false });
        var asic = model.Uses.Single(u => u.Key == SiteAnalysis.Asic);
        var (revenue, _, _) = Operate(model, asic);
        Assert.Equal(AsicRevenuePerMonth, revenue[0], 6);
        foreach (int m in new[] { 1, 6, 12, 15 })
            Assert.Equal(AsicRevenuePerMonth * Math.Pow(1.35, -m / 12.0), revenue[m], 6);
        // From the halving on, the subsidy is halved too.
        Assert.Equal(AsicRevenuePerMonth * Math.Pow(1.35, -20 / 12.0) * (1.5625 + 0.017) / 3.142, revenue[20], 6);
    }

    [Fact]
    public void The_irr_makes_the_npv_zero_and_each_use_is_valued_over_its_own_life()
    {
        var plan = SiteAnalysis.Analyze(Defaults(), s_options);
        Assert.Equal(36, plan[SiteAnalysis.Asic].Use.Months);
        Assert.Equal(60, plan[SiteAnalysis.GpuCloud].Use.Months);
        Assert.Equal(180, plan[SiteAnalysis.Colocation].Use.Months);
        int withIrr = 0;
        foreach (var v in plan.Valuations)
        {
            if (v.Irr.Value is not double irr)
                continue;
            withIrr++;
            Assert.Equal(0, CashFlows.Npv(v.Cash.Cash, irr), 1e-6 * v.Use.Capex[0]);
        }
        Assert.True(withIrr >= 2);
        // Ranked by the equivalent annual annuity: NPV · r ÷ (1 − (1 + r)^−years).
        Assert.Equal(plan.Valuations.Select(v => v.AnnuityValue).OrderDescending(), plan.Valuations.Select(v => v.AnnuityValue));
        var cloud = plan[SiteAnalysis.GpuCloud];
        Assert.Equal(cloud.NpvValue * 0.1 / (1 - Math.Pow(1.1, -5)), cloud.AnnuityValue, 6);
        // The GPU cloud's 10 M USD conversion is worth 2/3 of its price after 5 of its 15 years; the servers nothing.
        Assert.Equal(-10_000_000 * (1 - 60 / 180.0), cloud.Use.Capex[60], 6);
        Assert.Equal(784 * 40_000 + 10_000_000, cloud.Use.Capex[0], 6);
    }

    [Fact]
    public void Over_a_common_horizon_machines_are_renewed_at_the_price_capex_change_gives_them()
    {
        var model = new SiteModel(Defaults().With(Input.Years, 7).With(Input.CapexChange, -0.1), s_options);
        var asic = model.Uses.Single(u => u.Key == SiteAnalysis.Asic);
        Assert.Equal(84, asic.Months);
        Assert.Equal(AsicCapex, asic.Capex[0], 6);
        Assert.Equal(AsicCapex * Math.Pow(0.9, 3), asic.Capex[36], 6);
        Assert.Equal(AsicCapex * Math.Pow(0.9, 6), asic.Capex[72], 6);
        // Bought in month 72 with a 36-month life: a third of its life is left at month 84.
        Assert.Equal(-AsicCapex * Math.Pow(0.9, 6) * (24 / 36.0), asic.Capex[84], 6);
    }

    [Fact]
    public void A_month_whose_mining_revenue_is_below_its_electricity_is_curtailed_and_pays_opex_only()
    {
        // At 0.09 USD/kWh an S21 XP earns less than its power costs.
        var inputs = Defaults().With(Input.Electricity, 0.09).With(Input.DifficultyGrowth, 0);
        Assert.True(AsicRevenuePerMonth < AsicElectricityPerMonth * 0.09 / 0.05);
        var asic = SiteAnalysis.Analyze(inputs, s_options)[SiteAnalysis.Asic];
        Assert.Equal(36, asic.CurtailedMonths);
        Assert.All(asic.Years, y =>
        {
            Assert.Equal(0, y.Revenue);
            Assert.Equal(0, y.Electricity);
            Assert.Equal(90_000, y.Opex, 6);
            Assert.Equal(12, y.CurtailedMonths);
        });
        var running = SiteAnalysis.Analyze(inputs, s_options with { Curtail = false })[SiteAnalysis.Asic];
        Assert.Equal(0, running.CurtailedMonths);
        Assert.Equal(AsicElectricityPerMonth * 0.09 / 0.05 * 12, running.Years[0].Electricity, 6);
        Assert.True(running.NpvValue < asic.NpvValue);
    }

    [Fact]
    public void With_no_volatility_and_no_tenant_default_every_path_is_the_expected_case()
    {
        var inputs = Defaults().With(Input.BtcVolatility, 0).With(Input.RentVolatility, 0).With(Input.TenantDefault, 0).With(Input.BtcDrift, 0.05);
        var plan = SiteAnalysis.Analyze(inputs, s_options);
        var risk = SiteRisk.Run(plan.Model, 64, seed: 7);
        foreach (var use in risk.Uses)
        {
            double npv = plan[use.Key].NpvValue;
            double tolerance = 1e-9 * Math.Max(1, Math.Abs(npv));
            Assert.Equal(npv, use.Npv.P10, tolerance);
            Assert.Equal(npv, use.Npv.P90, tolerance);
            Assert.Equal(npv, use.Fan[^1].P50, tolerance);
        }
    }

    [Fact]
    public void A_seed_gives_the_same_bits_and_another_seed_other_ones()
    {
        var model = new SiteModel(Defaults(), s_options);
        var mix = SiteRisk.ParseMix("asic=0.3,colocation=0.7");
        var a = SiteRisk.Run(model, 2_000, seed: 42, mix);
        var b = SiteRisk.Run(model, 2_000, seed: 42, mix);
        var c = SiteRisk.Run(model, 2_000, seed: 43, mix);
        Assert.Equal(a.Uses.Select(u => u.Npv), b.Uses.Select(u => u.Npv));
        Assert.Equal(a.Uses.SelectMany(u => u.Fan), b.Uses.SelectMany(u => u.Fan));
        Assert.Equal(a.Frontier.Efficient.Select(m => m.Quantiles), b.Frontier.Efficient.Select(m => m.Quantiles));
        Assert.Equal(a.Mix!.Quantiles, b.Mix!.Quantiles);
        Assert.NotEqual(a.Uses.Select(u => u.Npv.P50), c.Uses.Select(u => u.Npv.P50));
    }

    [Fact]
    public void The_tenant_defaults_and_the_btc_price_moves_spread_the_npvs()
    {
        // With the GPU rent on its trend a new tenant pays the old lease: a default only costs the empty months.
        var inputs = Defaults().With(Input.TenantDefault, 0.2).With(Input.RentVolatility, 0);
        var risk = SiteRisk.Run(new SiteModel(inputs, s_options), 2_000, seed: 1);
        var colo = risk.Uses.Single(u => u.Key == SiteAnalysis.Colocation);
        var asic = risk.Uses.Single(u => u.Key == SiteAnalysis.Asic);
        double contracted = SiteAnalysis.Analyze(inputs, s_options)[SiteAnalysis.Colocation].NpvValue;
        Assert.True(colo.Npv.P10 < colo.Npv.P50);
        Assert.True(colo.Npv.P90 <= contracted + 1e-3);
        // 0.8^15 = 3.5 % of leases run 15 years without a default; the rest lose at least a year's rent.
        Assert.True(colo.Npv.P50 < contracted - 0.5 * 1_830_000 * 0.85 / 1.1 / 1.1);
        Assert.True(asic.Npv.P10 < asic.Npv.P90);
    }

    [Theory]
    [InlineData("btc-price", 90_000, "asic", 1)]
    [InlineData("btc-price", 90_000, "gpu-hashing", 1)]
    [InlineData("gpu-rent", 3.5, "gpu-cloud", 1)]
    [InlineData("difficulty-growth", 0.5, "asic", -1)]
    [InlineData("discount-rate", 0.15, "gpu-cloud", -1)]
    [InlineData("discount-rate", 0.15, "colocation", -1)]
    public void Npv_moves_the_way_its_inputs_push_it(string key, double value, string use, int sign)
    {
        // GPU hashing only rises with the BTC price where it is not curtailed: without curtailment it runs every month.
        var options = s_options with { Curtail = use != SiteAnalysis.GpuHashing };
        double before = SiteAnalysis.Analyze(Defaults(), options)[use].NpvValue;
        double after = SiteAnalysis.Analyze(Defaults().With(Input.Find(key)!, value), options)[use].NpvValue;
        Assert.Equal(sign, Math.Sign(after - before));
    }

    [Fact]
    public void The_efficient_mixes_are_not_beaten_on_both_p50_and_p10()
    {
        var risk = SiteRisk.Run(new SiteModel(Defaults(), s_options), 2_000, seed: 3);
        Assert.Equal(286, risk.Frontier.Mixes.Count);
        Assert.NotEmpty(risk.Frontier.Efficient);
        foreach (var mix in risk.Frontier.Efficient)
            Assert.DoesNotContain(risk.Frontier.Mixes, other => other.Quantiles.P50 > mix.Quantiles.P50 && other.Quantiles.P10 > mix.Quantiles.P10);
        foreach (var mix in risk.Frontier.Mixes.Except(risk.Frontier.Efficient))
            Assert.Contains(risk.Frontier.Mixes, other => other.Beats(mix));
    }

    [Fact]
    public void Where_the_answer_flips_the_two_uses_are_worth_the_same()
    {
        var inputs = Defaults();
        var plan = SiteAnalysis.Analyze(inputs, s_options);
        var byPrice = plan.Flips.Single(f => f.Input == Input.BtcPrice);
        Assert.Equal(plan.Best.Key, byPrice.Leader);
        double price = byPrice.Value!.Value;
        var there = SiteAnalysis.Analyze(inputs.With(Input.BtcPrice, price), s_options);
        Assert.Equal(there[byPrice.Leader].AnnuityValue, there[byPrice.NewLeader!].AnnuityValue, 1e-6 * Math.Abs(there[byPrice.Leader].AnnuityValue));
        // ASIC mining's NPV is 0 at its zero price.
        double zero = byPrice.ZeroNpv[SiteAnalysis.Asic]!.Value;
        Assert.Equal(0, SiteAnalysis.Analyze(inputs.With(Input.BtcPrice, zero), s_options)[SiteAnalysis.Asic].NpvValue, 1e-3);
        // The tornado swings each input 20 % either side, within its bounds.
        var pue = plan.Sensitivities.Single(s => s.Input == Input.Pue);
        Assert.Equal((1, 1.44), (pue.Low, pue.High));
    }

    [Theory]
    [InlineData("asic=0.3,colocation=0.6", "must sum to 1")]
    [InlineData("asic=0.3,hosting=0.7", "Unknown use \"hosting\"")]
    [InlineData("asic=1.3,colocation=-0.3", "with a share from 0 to 1")]
    [InlineData("asic", "use=share pairs")]
    public void A_bad_mix_is_refused(string mix, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => SiteRisk.ParseMix(mix)).Message);

    private static (double[] Revenue, double[] Electricity, double[] Opex) Operate(SiteModel model, SiteUseModel use)
    {
        var ones = Enumerable.Repeat(1.0, model.Months).ToArray();
        var revenue = new double[use.Months];
        var electricity = new double[use.Months];
        var opex = new double[use.Months];
        use.Operate(ones, ones, ones, revenue, electricity, opex);
        return (revenue, electricity, opex);
    }

    [Fact]
    public void A_sweep_runs_over_round_values_todays_and_the_flip_and_meets_the_plan_at_todays_value()
    {
        const double price = 87_654;
        var plan = SiteAnalysis.Analyze(Defaults().With(Input.BtcPrice, price), s_options);
        var flip = plan.Flips.Single(f => f.Input == Input.BtcPrice);
        var sweep = SiteAnalysis.SweepBtcPrice(plan);
        var xs = sweep.Select(p => p.X).ToArray();
        Assert.Equal(xs.Order().Distinct(), xs);
        Assert.Subset(xs.ToHashSet(), new HashSet<double> { 20_000, 100_000, 500_000, price });
        if (flip.Value is double at && at > 0)
            Assert.Contains(Math.Round(at), xs);
        // At today's price every use's annuity is the plan's.
        var today = sweep.Single(p => p.X == price);
        foreach (var valuation in plan.Valuations)
            Assert.Equal(valuation.AnnuityValue, today.Annuity[valuation.Key]!.Value, 6);
        var rent = SiteAnalysis.SweepRent(plan);
        Assert.Contains(Math.Round(plan.Inputs[Input.GpuRent].Value, 3), rent.Select(p => p.X));
        Assert.Empty(SiteAnalysis.SweepRent(SiteAnalysis.Analyze(Defaults().With(Input.GpuRent, MarketInput.Unavailable("USD/h", "no rent")), s_options)));
    }

    [Fact]
    public void A_sweep_grid_adds_a_positive_flip_rounded_once_and_in_order()
    {
        Assert.Equal([1, 1.235, 2], SiteAnalysis.SweepGrid([2, 1, 1.0001], 1.23456, 3));
        Assert.Equal([1, 2], SiteAnalysis.SweepGrid([2, 1], -5, 0));
        Assert.Equal([1, 2], SiteAnalysis.SweepGrid([2, 1], null, 0));
    }
}
