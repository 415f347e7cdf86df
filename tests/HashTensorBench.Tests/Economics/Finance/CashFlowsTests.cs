using HashTensorBench.Economics.Finance;

namespace HashTensorBench.Tests.Economics.Finance;

public class CashFlowsTests
{
    // 100 paid now, 110 back after a year: worth exactly 0 at 10 % a year.
    private static readonly double[] s_tenPercentYear = [-100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 110];

    [Fact]
    public void At_a_zero_rate_the_npv_is_the_plain_sum() =>
        Assert.Equal(-4.5, CashFlows.Npv([-100, 30, 45.5, 20], 0), 12);

    [Fact]
    public void A_flow_is_discounted_by_its_month_over_twelve_years()
    {
        Assert.Equal(0, CashFlows.Npv(s_tenPercentYear, 0.10), 9);
        // Half a year at 21 %: 1.21^(6/12) = 1.1.
        Assert.Equal(100, CashFlows.Npv([0, 0, 0, 0, 0, 0, 110], 0.21), 9);
        // Month 0 is not discounted at any rate.
        Assert.Equal(-250, CashFlows.Npv([-250], 0.35), 12);
    }

    [Fact]
    public void The_running_discount_factor_holds_over_fifty_years()
    {
        // 1 a month for 600 months at 10 %: Σ v^m for m = 1..600 with v = 1.1^(−1/12) = v(1 − v^600)/(1 − v).
        double v = Math.Pow(1.1, -1.0 / 12);
        double closedForm = v * (1 - Math.Pow(1.1, -50)) / (1 - v);
        Assert.Equal(closedForm, CashFlows.Npv(MonthlyFlows.Level(0, 1, 600).Cash, 0.10), closedForm * 1e-12);
        // The same as (1 − 1.1^−50) ÷ (1.1^(1/12) − 1) = 0.991481 ÷ 0.00797414.
        Assert.Equal(124.337, closedForm, 0.001);
    }

    [Fact]
    public void The_irr_of_a_year_at_ten_percent_is_ten_percent()
    {
        Assert.Equal(0.10, CashFlows.Irr(s_tenPercentYear)!.Value, 9);
        // 110 back after six months: (1 + r)^(1/2) = 1.1.
        Assert.Equal(0.21, CashFlows.Irr([-100, 0, 0, 0, 0, 0, 110])!.Value, 9);
    }

    public static TheoryData<double[]> IrrLists => new()
    {
        MonthlyFlows.Level(1000, 23.7, 60).Cash.ToArray(),
        // Loses money: the rate is negative (about −4 % a year).
        MonthlyFlows.Level(1000, 15, 60).Cash.ToArray(),
        new double[] { -5000, 120, 340, -80, 900, 1500, 2200, 700 },
        Renewed(capex: 2e6, monthly: 25_000, months: 180, renewalMonth: 90, renewal: 500_000),
    };

    [Theory]
    [MemberData(nameof(IrrLists))]
    public void The_irr_makes_the_npv_zero(double[] flows)
    {
        double scale = flows.Sum(Math.Abs);
        double irr = CashFlows.Irr(flows)!.Value;
        Assert.InRange(irr, -0.99, 100);
        Assert.True(Math.Abs(CashFlows.Npv(flows, irr)) < 1e-6 * scale, $"NPV at {irr} is {CashFlows.Npv(flows, irr)}");
        // A root, not a point where the NPV only touches 0: it changes sign across it.
        Assert.True(CashFlows.Npv(flows, irr - 1e-3) * CashFlows.Npv(flows, irr + 1e-3) < 0);
    }

    [Fact]
    public void With_two_rates_the_irr_is_the_one_nearest_zero()
    {
        // −100 + 230/g − 132/g² = 0 with g = (1 + r)^1 at months 0, 12, 24: 100g² − 230g + 132 = 0, g = 1.1 or 1.2.
        Assert.Equal(0.10, CashFlows.Irr(Yearly(-100, 230, -132))!.Value, 9);
        // −100g² + 210g − 108 = −100(g − 0.9)(g − 1.2): r = −10 % (ln 0.9 = −0.105) is nearer 0 than 20 % (ln 1.2 = 0.182).
        Assert.Equal(-0.10, CashFlows.Irr(Yearly(-100, 210, -108))!.Value, 9);
        // −100(g − 0.5)(g − 1.1): the nearer 10 %, not the lower −50 % (ln 0.5 = −0.69).
        Assert.Equal(0.10, CashFlows.Irr(Yearly(-100, 160, -55))!.Value, 9);
    }

    [Theory]
    [InlineData(new double[] { 10, 20, 30 })]
    [InlineData(new double[] { -10, -20, -30 })]
    [InlineData(new double[] { 0, 0 })]
    [InlineData(new double[] { })]
    // A sign change whose rate lies below −99 %: 1e-30 back for 100 needs 1 + r = 1e-384.
    [InlineData(new double[] { -100, 1e-30 })]
    public void Without_a_rate_in_range_the_irr_is_null(double[] flows) => Assert.Null(CashFlows.Irr(flows));

    [Theory]
    // Cumulative −100, −70, −40, −10, 20.
    [InlineData(new double[] { -100, 30, 30, 30, 30 }, 4)]
    // Cumulative −100, −40, 20, −30 (a renewal), 10, 50: it stays at or above 0 from month 4, not 2.
    [InlineData(new double[] { -100, 60, 60, -50, 40, 40 }, 4)]
    // Reaching exactly 0 counts.
    [InlineData(new double[] { -100, 50, 50, 0 }, 2)]
    [InlineData(new double[] { 0, 5, 5 }, 0)]
    [InlineData(new double[] { 20, -10, 5 }, 0)]
    public void Payback_is_the_month_from_which_the_cumulative_cash_stays_non_negative(double[] flows, int month) =>
        Assert.Equal(month, CashFlows.PaybackMonth(flows));

    [Theory]
    // Cumulative −100, −70, −40.
    [InlineData(new double[] { -100, 30, 30 })]
    // Cumulative −100, −40, 20, then a renewal: −30, −10 at the end.
    [InlineData(new double[] { -100, 60, 60, -50, 20 })]
    [InlineData(new double[] { })]
    public void Flows_that_end_below_zero_never_pay_back(double[] flows) => Assert.Null(CashFlows.PaybackMonth(flows));

    [Fact]
    public void The_equivalent_annual_annuity_spreads_the_npv_over_the_years()
    {
        // 1000 × 0.1 ÷ (1 − 1.1^−3) = 100 ÷ (1 − 0.7513148009) = 402.1148036.
        Assert.Equal(402.1148036, CashFlows.EquivalentAnnualAnnuity(1000, 0.1, 3), 6);
        // 1/1.1 + 1/1.21 + 1/1.331.
        Assert.Equal(2.4868520, CashFlows.AnnuityFactor(0.1, 3), 6);
        Assert.Equal(250, CashFlows.EquivalentAnnualAnnuity(1000, 0, 4), 12);
        Assert.Equal(250, CashFlows.EquivalentAnnualAnnuity(1000, 1e-12, 4), 6);
        // Half a year's worth of 10 % a year: (1 − 1.1^−0.5) ÷ 0.1 = 0.465...
        Assert.Equal((1 - 1 / Math.Sqrt(1.1)) / 0.1, CashFlows.AnnuityFactor(0.1, 0.5), 12);
    }

    [Fact]
    public void Nonsense_rates_and_lives_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CashFlows.Npv(s_tenPercentYear, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => CashFlows.Npv(s_tenPercentYear, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => CashFlows.EquivalentAnnualAnnuity(1000, 0.1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CashFlows.EquivalentAnnualAnnuity(1000, 0.1, -3));
        Assert.Throws<ArgumentOutOfRangeException>(() => CashFlows.AnnuityFactor(-1.5, 3));
    }

    [Fact]
    public void Level_flows_pay_the_capex_in_month_zero_and_the_net_after()
    {
        var flows = MonthlyFlows.Level(100, 30, 4);
        Assert.Equal([-100.0, 30, 30, 30, 30], flows.Cash.ToArray());
        Assert.Equal(4, CashFlows.PaybackMonth(flows.Cash));
        Assert.Equal([-100.0], MonthlyFlows.Level(100, 30, 0).Cash.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => MonthlyFlows.Level(100, 30, -1));
    }

    [Fact]
    public void Monthly_flows_copy_their_cash_and_reject_non_finite_months()
    {
        double[] cash = [-100, 50];
        var flows = new MonthlyFlows(cash);
        cash[1] = 0;
        Assert.Equal(50, flows.Cash[1]);
        var error = Assert.Throws<ArgumentException>(() => new MonthlyFlows([-100, double.NaN]));
        Assert.Contains("Month 1", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new MonthlyFlows([double.PositiveInfinity]));
    }

    // Yearly amounts at months 0, 12, 24, ...
    private static double[] Yearly(params double[] amounts)
    {
        var flows = new double[(amounts.Length - 1) * 12 + 1];
        for (int year = 0; year < amounts.Length; year++)
            flows[year * 12] = amounts[year];
        return flows;
    }

    private static double[] Renewed(double capex, double monthly, int months, int renewalMonth, double renewal)
    {
        double[] flows = MonthlyFlows.Level(capex, monthly, months).Cash.ToArray();
        flows[renewalMonth] -= renewal;
        return flows;
    }
}
