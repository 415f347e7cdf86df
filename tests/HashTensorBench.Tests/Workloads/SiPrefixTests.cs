using HashTensorBench.Workloads;

namespace HashTensorBench.Tests.Workloads;

public class SiPrefixTests
{
    [Theory]
    [InlineData(0, 0, "")]
    [InlineData(999.5, 999.5, "")]
    [InlineData(1000, 1, "k")]
    [InlineData(3.43e6, 3.43, "M")]
    [InlineData(-2.5e9, -2.5, "G")]
    [InlineData(7e12, 7, "T")]
    [InlineData(2e18, 2000, "P")]
    [InlineData(0.25, 0.25, "")]
    public void Brings_a_value_below_a_thousand_with_its_prefix(double value, double scaled, string prefix)
    {
        var result = SiPrefix.Of(value);
        Assert.Equal(prefix, result.Prefix);
        Assert.Equal(scaled, result.Scaled, 12);
    }

    [Fact]
    public void Leaves_a_value_that_is_not_a_number_alone()
    {
        Assert.Equal("", SiPrefix.Of(double.NaN).Prefix);
        Assert.Equal("", SiPrefix.Of(double.PositiveInfinity).Prefix);
    }
}
