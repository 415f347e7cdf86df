using HashTensorBench.Economics;
using HashTensorBench.Economics.Site;

namespace HashTensorBench.Tests.Economics;

public class SiteAnalysisTests
{
    private static SiteInputs Defaults() => SiteInputs.FromDefaults(MarketDefaults.Builtin);

    [Fact]
    public void Asic_revenue_per_mw_matches_the_hand_computation_from_the_printed_inputs()
    {
        var plan = SiteAnalysis.Analyze(Defaults());
        var mining = plan[SiteAnalysis.Mining];
        // Antminer S21 XP: 270 TH/s × 13.5 J/TH = 3,645 W; ⌊10^6 ÷ 3,645⌋ = 274 units = 73,980 TH/s.
        Assert.Equal(274, mining.Units.Value);
        // 73.98e15 H/s × 86,400 s × (3.125 + 0.017) BTC ÷ (133.87e12 × 2^32) × (1 − 0.02) × 365 days × 60,000 USD.
        double hand = 274 * 270e12 * 86_400 * 3.142 / (133.87e12 * 4_294_967_296) * 0.98 * 365 * 60_000;
        Assert.Equal(hand, mining.Revenue.Value!.Value, 6);
        Assert.Equal(749_655, mining.Revenue.Value.Value, 0.5);
        // Electricity: 998.73 kW × 1.2 PUE × 8,760 h × 0.05 USD/kWh.
        Assert.Equal(274 * 3.645 * 1.2 * 8760 * 0.05, mining.Electricity.Value!.Value, 6);
        Assert.Equal(hand - mining.Electricity.Value.Value, mining.Profit.Value!.Value, 6);
        Assert.Contains("274 units", mining.Units.Note);
        Assert.Contains("× 365", mining.Revenue.Note);
        // The hashprice the defaults imply is economics.md's 28.3 USD per PH/s per day.
        Assert.Equal(28.33, plan.Hashprice.Value!.Value, 2);
    }

    [Fact]
    public void Gpu_cloud_colocation_and_gpu_hashing_follow_their_inputs()
    {
        var plan = SiteAnalysis.Analyze(Defaults());
        // 700 W + 575 W per GPU: ⌊10^6 ÷ 1,275⌋ = 784 GPUs, rented at 2.65 USD/h for 80 % of 8,760 h.
        var cloud = plan[SiteAnalysis.GpuCloud];
        Assert.Equal(784, cloud.Units.Value);
        Assert.Equal(784 * 2.65 * 8760 * 0.8, cloud.Revenue.Value!.Value, 6);
        var colo = plan[SiteAnalysis.Colocation];
        Assert.Equal(1_810_000, colo.Revenue.Value);
        Assert.Equal(1000 * 1.2 * 8760 * 0.05, colo.Electricity.Value!.Value, 6);
        Assert.Equal(9_000_000 / colo.Profit.Value!.Value, colo.PaybackYears.Value!.Value, 9);
        // The same GPUs hashing earn about 10^5 times less than renting them out.
        var hashing = plan[SiteAnalysis.GpuHashing];
        Assert.InRange(cloud.Revenue.Value.Value / hashing.Revenue.Value!.Value, 1e5, 1e6);
        Assert.True(hashing.Profit.Value < 0);
        Assert.Equal("never: the profit per year is not positive", hashing.PaybackYears.Note);
        // No machine prices in the defaults: capex and payback say why they are unknown.
        Assert.Null(plan[SiteAnalysis.Mining].Capex.Value);
        Assert.Contains("--asic-price", plan[SiteAnalysis.Mining].Capex.Note);
        Assert.Equal(cloud, plan.Best);
    }

    [Theory]
    [InlineData(60_000, 0.8, 2.65)]
    [InlineData(95_000, 0.55, 1.70)]
    [InlineData(30_000, 1.0, 4.00)]
    public void Plugging_a_break_even_back_in_makes_the_two_scenarios_equal(double btcPrice, double utilisation, double rent)
    {
        var inputs = Defaults() with
        {
            Market = Defaults().Market with { BtcPrice = MarketInput.FromUser(btcPrice, "USD") },
            Utilisation = MarketInput.FromUser(utilisation, "fraction"),
            GpuRent = MarketInput.FromUser(rent, "USD/h"),
        };
        var plan = SiteAnalysis.Analyze(inputs);
        foreach (var (figure, ai) in new[] { (plan.BreakEven.BtcPriceVsGpuCloud, SiteAnalysis.GpuCloud), (plan.BreakEven.BtcPriceVsColocation, SiteAnalysis.Colocation) })
        {
            var at = SiteAnalysis.Analyze(inputs with { Market = inputs.Market with { BtcPrice = MarketInput.FromUser(figure.Value!.Value, "USD") } });
            Assert.Equal(at[ai].Profit.Value!.Value, at[SiteAnalysis.Mining].Profit.Value!.Value, 3);
        }
        // The break-even hashprice is the hashprice at the break-even price.
        var atCloud = SiteAnalysis.Analyze(inputs with { Market = inputs.Market with { BtcPrice = MarketInput.FromUser(plan.BreakEven.BtcPriceVsGpuCloud.Value!.Value, "USD") } });
        Assert.Equal(atCloud.Hashprice.Value!.Value, plan.BreakEven.HashpriceVsGpuCloud.Value!.Value, 6);

        var byRent = SiteAnalysis.Analyze(inputs with { GpuRent = MarketInput.FromUser(plan.BreakEven.GpuRent.Value!.Value, "USD/h") });
        Assert.Equal(byRent[SiteAnalysis.Mining].Profit.Value!.Value, byRent[SiteAnalysis.GpuCloud].Profit.Value!.Value, 3);
        var byUtilisation = SiteAnalysis.Analyze(inputs with { Utilisation = MarketInput.FromUser(Math.Min(1, plan.BreakEven.Utilisation.Value!.Value), "fraction") });
        Assert.Equal(byUtilisation[SiteAnalysis.Mining].Profit.Value!.Value, byUtilisation[SiteAnalysis.GpuCloud].Profit.Value!.Value, 3);
        Assert.Equal(plan.BreakEven.RentTimesUtilisation.Value!.Value, plan.BreakEven.GpuRent.Value!.Value * utilisation, 9);
    }

    [Fact]
    public void A_given_hashprice_sets_the_btc_price_it_implies()
    {
        var inputs = Defaults().WithHashprice(MarketInput.FromUser(28.329, "USD/PH/day"));
        Assert.Equal(InputOrigin.Derived, inputs.Market.BtcPrice.Origin);
        Assert.Equal(60_000, inputs.Market.BtcPrice.Value, 0);
        Assert.Equal(28.329, SiteAnalysis.Analyze(inputs).Hashprice.Value!.Value, 9);
    }

    [Fact]
    public void Machine_prices_give_capex_and_payback()
    {
        var inputs = Defaults() with
        {
            AsicPrice = MarketInput.FromUser(4000, "USD"),
            GpuServerPrice = MarketInput.FromUser(30_000, "USD"),
        };
        var plan = SiteAnalysis.Analyze(inputs);
        var mining = plan[SiteAnalysis.Mining];
        Assert.Equal(550_000 + 274 * 4000, mining.Capex.Value);
        Assert.Equal(mining.Capex.Value!.Value / mining.Profit.Value!.Value, mining.PaybackYears.Value!.Value, 9);
        Assert.Equal(9_000_000 + 784 * 30_000.0, plan[SiteAnalysis.GpuCloud].Capex.Value);
    }

    [Fact]
    public void A_gpu_without_a_rent_leaves_gpu_cloud_unknown_and_says_why()
    {
        var inputs = Defaults() with { GpuRent = MarketInput.Unavailable("USD/h", "no rental market for this GPU") };
        var plan = SiteAnalysis.Analyze(inputs);
        Assert.Null(plan[SiteAnalysis.GpuCloud].Profit.Value);
        Assert.Contains("no rental market", plan[SiteAnalysis.GpuCloud].Revenue.Note);
        Assert.Null(plan.BreakEven.BtcPriceVsGpuCloud.Value);
        Assert.NotNull(plan.BreakEven.RentTimesUtilisation.Value);
        Assert.NotNull(plan.BreakEven.BtcPriceVsColocation.Value);
    }

    [Fact]
    public void Sweeps_recompute_the_plan_at_each_point()
    {
        var inputs = Defaults();
        var points = SiteAnalysis.ProfitAgainstBtcPrice(inputs, [60_000, 120_000]);
        double atNow = SiteAnalysis.Analyze(inputs)[SiteAnalysis.Mining].Profit.Value!.Value;
        Assert.Equal(atNow, points[0].Profit[SiteAnalysis.Mining]!.Value, 6);
        // Revenue doubles with the price; electricity does not.
        double revenue = SiteAnalysis.Analyze(inputs)[SiteAnalysis.Mining].Revenue.Value!.Value;
        Assert.Equal(atNow + revenue, points[1].Profit[SiteAnalysis.Mining]!.Value, 6);
        Assert.Equal(points[0].Profit[SiteAnalysis.Colocation], points[1].Profit[SiteAnalysis.Colocation]);
        var rents = SiteAnalysis.ProfitAgainstRentTimesUtilisation(inputs, [2.65 * 0.8]);
        Assert.Equal(SiteAnalysis.Analyze(inputs)[SiteAnalysis.GpuCloud].Profit.Value!.Value, rents[0].Profit[SiteAnalysis.GpuCloud]!.Value, 6);
    }

    [Theory]
    [InlineData("mw", 0, "more than 0 MW")]
    [InlineData("pue", 0.9, "PUE")]
    [InlineData("utilisation", 1.5, "fraction from 0 to 1")]
    public void Out_of_range_inputs_are_refused(string key, double value, string message)
    {
        var v = MarketInput.FromUser(value, "");
        var inputs = key switch
        {
            "mw" => Defaults() with { Megawatts = v },
            "pue" => Defaults() with { Pue = v },
            _ => Defaults() with { Utilisation = v },
        };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SiteAnalysis.Analyze(inputs));
        Assert.Contains(message, ex.Message);
        Assert.Contains($"--{key}", ex.Message);
    }
}
