using HashTensorBench.Economics;

namespace HashTensorBench.Tests.Economics;

public class PricingTests
{
    private static MarketInputs Inputs(double difficulty, double poolFee = 0) =>
        MarketInputs.ForCompare().With(Input.Difficulty, difficulty).With(Input.PoolFee, poolFee).Validate();

    [Fact]
    public void At_difficulty_one_a_block_every_ten_minutes_mines_144_blocks_a_day()
    {
        // 2^32 hashes per block at difficulty 1; 2^32 / 600 H/s finds one every 600 s: 144 a day, each
        // worth 3.125 + 0.017 BTC.
        double btc = Pricing.BtcPerDay(Math.Pow(2, 32) / 600, Inputs(1));
        Assert.Equal(144 * 3.142, btc, 9);
        Assert.Equal(144 * 3.142 * 0.98, Pricing.BtcPerDay(Math.Pow(2, 32) / 600, Inputs(1, poolFee: 0.02)), 9);
    }

    [Fact]
    public void One_petahash_at_the_june_2026_difficulty_earns_the_published_hashprice()
    {
        // 1e15 × 86,400 × 3.142 ÷ (133.87e12 × 2^32) × 60,000 = 28.329 USD/day; Hashrate Index
        // published 28.68 for the same week.
        var pricing = Pricing.Hashing(1e15, null, Inputs(133.87e12));
        Assert.Equal(28.329, pricing.Revenue.UsdPerDay!.Value, 3);
        Assert.Contains("= 28.3", pricing.Revenue.Arithmetic);
    }

    [Fact]
    public void Electricity_profit_and_efficiency_follow_measured_power()
    {
        var inputs = Inputs(133.87e12);
        var pricing = Pricing.Hashing(7e9, 700, inputs);
        // 700 W × 24 h = 16.8 kWh × 0.05 USD = 0.84 USD/day.
        Assert.Equal(0.84, pricing.Electricity.UsdPerDay!.Value, 12);
        Assert.Equal(pricing.Revenue.UsdPerDay!.Value - 0.84, pricing.Profit.UsdPerDay!.Value, 12);
        Assert.Equal(pricing.Profit.UsdPerDay.Value / (700 * 24 / 1e6), pricing.ProfitPerMWh!.Value, 9);
        // 700 W at 7 GH/s is 100,000 J/TH: an S21 XP does 13.5.
        Assert.Equal(100_000, Pricing.JoulesPerTerahash(7e9, 700)!.Value, 6);
    }

    [Fact]
    public void Without_measured_power_profit_is_unknown_not_zero()
    {
        var pricing = Pricing.Hashing(7e9, null, Inputs(133.87e12));
        Assert.NotNull(pricing.Revenue.UsdPerDay);
        Assert.Null(pricing.Electricity.UsdPerDay);
        Assert.Null(pricing.Profit.UsdPerDay);
        Assert.Null(pricing.ProfitPerMWh);
        Assert.Contains("not measured", pricing.Profit.Arithmetic);
        Assert.Null(Pricing.JoulesPerTerahash(7e9, null));
    }

    [Fact]
    public void Ai_is_priced_by_rent_where_known_else_by_compute()
    {
        var byCompute = Pricing.Ai(0.5e15, 600, Inputs(1));
        // An H100 SXM's rent over the 0.7945 PFLOP/s BF16 torch.matmul reached on it.
        Assert.Equal(0.5 * 24 * (2.65 / 0.7945), byCompute.Revenue.UsdPerDay!.Value, 9);
        // INT8 is priced per POP/s-hour: the rent over 1,979 dense TOPS at BF16's 794.5 / 989 of peak.
        var int8 = Pricing.Ai(1e15, 600, Inputs(1), integer: true);
        Assert.Equal(24 * 2.65 / (1.979 * 0.7945 / 0.989), int8.Revenue.UsdPerDay!.Value, 9);
        Assert.Contains("1 POP/s × 24 h", int8.Revenue.Arithmetic);
        var rented = Pricing.Ai(0.5e15, 600, Inputs(1).With(Input.GpuRent, 2.65));
        Assert.Equal(63.6, rented.Revenue.UsdPerDay!.Value, 9);
        Assert.Equal(63.6 - 0.72, rented.Profit.UsdPerDay!.Value, 9);
    }

    [Fact]
    public void The_decision_names_the_winner_and_where_it_flips()
    {
        var inputs = Inputs(133.87e12).With(Input.GpuRent, 2.65);
        var hashing = Pricing.Hashing(7e9, 700, inputs);
        var ai = Pricing.Ai(0.6e15, 700, inputs);
        var decision = Pricing.Decide(hashing, ai, 7e9, inputs);
        Assert.Equal("AI", decision.Winner);
        Assert.Equal("profit", decision.Basis);
        Assert.Equal(ai.Profit.UsdPerDay!.Value - hashing.Profit.UsdPerDay!.Value, decision.MarginUsdPerDay, 9);
        // At the break-even BTC price hashing's profit equals AI's.
        double price = decision.BreakEvenBtcPrice.UsdPerDay!.Value;
        var atBreakEven = Pricing.Hashing(7e9, 700, inputs.With(Input.BtcPrice, price));
        Assert.Equal(ai.Profit.UsdPerDay.Value, atBreakEven.Profit.UsdPerDay!.Value, 6);
        // At the break-even rent AI's profit equals hashing's.
        double rent = decision.BreakEvenRentalPerHour!.UsdPerDay!.Value;
        var rentedAtBreakEven = Pricing.Ai(0.6e15, 700, inputs.With(Input.GpuRent, rent));
        Assert.Equal(hashing.Profit.UsdPerDay.Value, rentedAtBreakEven.Profit.UsdPerDay!.Value, 9);
    }

    [Fact]
    public void Without_power_the_decision_compares_revenue_and_says_so()
    {
        var inputs = Inputs(133.87e12);
        var decision = Pricing.Decide(Pricing.Hashing(5e7, null, inputs), Pricing.Ai(2e12, null, inputs), 5e7, inputs);
        Assert.Equal("revenue, as power was not measured", decision.Basis);
        Assert.Equal("AI", decision.Winner);
    }

    [Fact]
    public void Given_power_prices_electricity_and_marks_it_and_a_loss_on_both_uses_is_said()
    {
        // A CPU's 50 MH/s and 2 TFLOP/s earn cents a day; 180 W costs more than either.
        var inputs = Inputs(133.87e12);
        var hashing = Pricing.Hashing(5e7, 180, inputs, PowerSource.Given);
        var ai = Pricing.Ai(2e12, 180, inputs, power: PowerSource.Given);
        Assert.Equal(PowerSource.Given, ai.PowerSource);
        Assert.StartsWith("180.0 W (given) × 24 h", hashing.Electricity.Arithmetic);
        var decision = Pricing.Decide(hashing, ai, 5e7, inputs);
        Assert.Equal("profit", decision.Basis);
        Assert.True(decision.BothLoseMoney);
        Assert.False(Pricing.Decide(Pricing.Hashing(5e7, null, inputs), Pricing.Ai(2e12, null, inputs), 5e7, inputs).BothLoseMoney);
    }

    [Theory]
    [InlineData(-1.0, 0.02)]
    [InlineData(double.NaN, 0.02)]
    [InlineData(60_000.0, 1.0)]
    public void Nonsense_inputs_are_rejected(double btcPrice, double poolFee) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            MarketInputs.ForCompare().With(Input.BtcPrice, btcPrice).With(Input.PoolFee, poolFee).Validate());

    [Fact]
    public void Rental_prices_are_found_by_the_names_cuda_reports()
    {
        Assert.Equal(2.65, MarketReferences.GpuRental("NVIDIA H100 80GB HBM3")!.Value);
        Assert.Equal(2.50, MarketReferences.GpuRental("NVIDIA H100 PCIe")!.Value);
        Assert.Equal(4.00, MarketReferences.GpuRental("NVIDIA H200")!.Value);
        Assert.Null(MarketReferences.GpuRental("AMD EPYC"));
    }

    [Fact]
    public void Defaults_carry_their_dates_and_sources()
    {
        var defaults = MarketInputs.From(null).Validate();
        Assert.Equal(Input.All.Count(d => !d.Optional), defaults.All().Count());
        Assert.All(defaults.All(), item =>
        {
            Assert.NotEqual("user", item.Value.Source);
            Assert.False(string.IsNullOrWhiteSpace(item.Value.AsOf));
            Assert.False(string.IsNullOrWhiteSpace(item.Value.Source));
        });
        Assert.Contains("as of 2026-06-26", defaults[Input.Difficulty].ToString());
    }
}
