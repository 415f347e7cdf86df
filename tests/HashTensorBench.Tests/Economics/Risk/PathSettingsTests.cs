using HashTensorBench.Economics.Risk;

namespace HashTensorBench.Tests.Economics.Risk;

public class PathSettingsTests
{
    internal static PathSettings Valid() => new(months: 180, btcDrift: 0.1, btcVolatility: 0.6, rentChange: -0.12,
        rentVolatility: 0.3, rentBtcCorrelation: 0.2, seed: 42);

    public static TheoryData<string, Func<PathSettings, PathSettings>> BadSettings() => new()
    {
        { "months", s => s with { Months = 0 } },
        { "months", s => s with { Months = PathSettings.MaxMonths + 1 } },
        { "btc-drift", s => s with { BtcDrift = double.NaN } },
        { "btc-drift", s => s with { BtcDrift = double.PositiveInfinity } },
        { "btc-volatility", s => s with { BtcVolatility = -0.01 } },
        { "btc-volatility", s => s with { BtcVolatility = double.PositiveInfinity } },
        { "btc-volatility", s => s with { BtcVolatility = double.NaN } },
        { "rent-change", s => s with { RentChange = -1 } },
        { "rent-change", s => s with { RentChange = double.NaN } },
        { "rent-volatility", s => s with { RentVolatility = -1e-9 } },
        { "rent-volatility", s => s with { RentVolatility = double.NaN } },
        { "rent-btc-correlation", s => s with { RentBtcCorrelation = 1.000001 } },
        { "rent-btc-correlation", s => s with { RentBtcCorrelation = -1.5 } },
        { "rent-btc-correlation", s => s with { RentBtcCorrelation = double.NaN } },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_setting_throws_naming_its_key_but_not_a_flag(string key, Func<PathSettings, PathSettings> change)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => change(Valid()));
        Assert.Equal(key, error.ParamName);
        Assert.StartsWith(key + ":", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_constructor_checks_as_with_does()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PathSettings(12, 0, -0.5, 0, 0, 0, 1));
        Assert.Equal("btc-volatility", error.ParamName);
        Assert.Contains("-0.5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_edges_of_each_range_are_accepted()
    {
        var edges = Valid() with
        {
            Months = 1,
            BtcVolatility = 0,
            RentVolatility = 0,
            RentBtcCorrelation = -1,
            RentChange = -0.999,
            BtcDrift = -3,
        };
        Assert.Equal(1, edges.Months);
        Assert.Equal(PathSettings.MaxMonths, (edges with { Months = PathSettings.MaxMonths, RentBtcCorrelation = 1 }).Months);
    }
}
