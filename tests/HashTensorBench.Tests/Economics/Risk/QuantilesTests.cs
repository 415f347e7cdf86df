using HashTensorBench.Economics.Risk;

namespace HashTensorBench.Tests.Economics.Risk;

public class QuantilesTests
{
    /// <summary>numpy's 'linear' quantile by sorting: position q·(n − 1) between the order statistics.</summary>
    private static double ByHand(double[] values, double q)
    {
        double[] sorted = [.. values.Order()];
        double position = q * (sorted.Length - 1);
        int k = (int)Math.Floor(position);
        return k + 1 < sorted.Length ? sorted[k] + ((position - k) * (sorted[k + 1] - sorted[k])) : sorted[k];
    }

    [Fact]
    public void One_to_eleven_gives_two_six_and_ten()
    {
        double[] values = [7, 3, 11, 1, 9, 5, 2, 10, 4, 8, 6];
        var quantiles = Quantiles.Of(values);
        Assert.Equal(new Quantiles(2, 6, 10, 0), quantiles);
    }

    [Fact]
    public void An_even_count_interpolates_between_neighbours()
    {
        // 1 … 10: positions 0.9, 4.5 and 8.1 give 1.9, 5.5 and 9.1 (numpy.percentile(range(1, 11), [10, 50, 90])).
        double[] values = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
        var quantiles = Quantiles.Of(values);
        Assert.Equal(1.9, quantiles.P10, 12);
        Assert.Equal(5.5, quantiles.P50, 12);
        Assert.Equal(9.1, quantiles.P90, 12);
        // {−3, 1, 4, 7}: positions 0.3, 1.5, 2.7 give −1.8, 2.5, 6.1; one of four is a loss.
        var four = Quantiles.Of(new double[] { 4, -3, 7, 1 });
        Assert.Equal(-1.8, four.P10, 12);
        Assert.Equal(2.5, four.P50, 12);
        Assert.Equal(6.1, four.P90, 12);
        Assert.Equal(0.25, four.ProbabilityOfLoss);
    }

    [Fact]
    public void The_probability_of_loss_counts_only_values_below_zero()
    {
        double[] values = [-2, -0.0, 0, 0, 1e-300, -1e-300, 5, 3, -7, 0];
        Assert.Equal(0.3, Quantiles.Of(values).ProbabilityOfLoss);
        Assert.Equal(0.0, Quantiles.Of(new double[] { 0, 1, 2 }).ProbabilityOfLoss);
        Assert.Equal(1.0, Quantiles.Of(new double[] { -1 }).ProbabilityOfLoss);
    }

    [Fact]
    public void One_value_is_every_quantile()
    {
        Assert.Equal(new Quantiles(4.5, 4.5, 4.5, 0), Quantiles.Of(new double[] { 4.5 }));
    }

    [Fact]
    public void Selection_matches_sorting_for_every_length_to_300_and_some_longer_with_and_without_ties()
    {
        var random = new Random(7);
        // Past 600 values the selection first selects within a sample: some lengths beyond that too.
        foreach (int n in Enumerable.Range(1, 300).Concat([601, 602, 1_000, 4_099, 10_000]))
        {
            foreach (int distinct in new[] { 3, 1_000_000 })
            {
                double[] values = [.. Enumerable.Range(0, n).Select(_ => (double)random.Next(distinct) - (distinct / 2))];
                var quantiles = Quantiles.Of((double[])values.Clone());
                Assert.Equal(ByHand(values, 0.1), quantiles.P10, 9);
                Assert.Equal(ByHand(values, 0.5), quantiles.P50, 9);
                Assert.Equal(ByHand(values, 0.9), quantiles.P90, 9);
                Assert.Equal(values.Count(v => v < 0) / (double)n, quantiles.ProbabilityOfLoss);
                foreach (double q in new[] { 0, 0.01, 0.25, 0.77, 1 })
                    Assert.Equal(ByHand(values, q), Quantiles.At((double[])values.Clone(), q), 9);
            }
        }
    }

    [Fact]
    public void Sorted_reversed_and_constant_inputs_of_ten_thousand_select_correctly()
    {
        double[] ascending = [.. Enumerable.Range(0, 10_000).Select(i => (double)i)];
        // Positions 999.9, 4999.5 and 8999.1 of 0 … 9,999.
        var expected = new Quantiles(999.9, 4999.5, 8999.1, 0);
        // Sorted, reversed and interleaved (evens rising, odds falling): the inputs that defeat a naive pivot.
        foreach (double[] values in new[] { ascending, [.. ascending.Reverse()], [.. ascending.Select(v => v % 2 == 0 ? v : 10_000 - v)] })
        {
            double[] copy = (double[])values.Clone();
            var quantiles = Quantiles.Of(copy);
            Assert.Equal(ByHand(values, 0.1), quantiles.P10, 9);
            Assert.Equal(ByHand(values, 0.5), quantiles.P50, 9);
            Assert.Equal(ByHand(values, 0.9), quantiles.P90, 9);
            // Reordered, not changed.
            Assert.Equal(values.Order(), copy.Order());
        }
        Assert.Equal(expected.P10, Quantiles.Of((double[])ascending.Clone()).P10, 9);
        Assert.Equal(expected.P90, Quantiles.Of((double[])ascending.Clone()).P90, 9);
        Assert.Equal(new Quantiles(-3, -3, -3, 1), Quantiles.Of(Enumerable.Repeat(-3.0, 10_000).ToArray()));
    }

    [Fact]
    public void Empty_or_non_finite_values_and_quantiles_outside_zero_to_one_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Quantiles.Of(Span<double>.Empty));
        Assert.Throws<ArgumentException>(() => Quantiles.Of(new double[] { 1, double.NaN, 2 }));
        Assert.Throws<ArgumentException>(() => Quantiles.Of(new double[] { 1, double.NegativeInfinity }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.At(new double[] { 1 }, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.At(new double[] { 1 }, double.NaN));
    }
}
