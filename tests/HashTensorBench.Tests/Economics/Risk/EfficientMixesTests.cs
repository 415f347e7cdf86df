using System.Runtime.InteropServices;
using HashTensorBench.Economics.Risk;

namespace HashTensorBench.Tests.Economics.Risk;

public class EfficientMixesTests
{
    /// <summary>The test's own reading of "beats": as good on P50 and P10, strictly better on one.</summary>
    private static bool Beats(MixOutcome a, MixOutcome b) =>
        a.Quantiles.P50 >= b.Quantiles.P50 && a.Quantiles.P10 >= b.Quantiles.P10
        && (a.Quantiles.P50 > b.Quantiles.P50 || a.Quantiles.P10 > b.Quantiles.P10);

    /// <summary>Four uses over correlated random paths, like the site's: two tied to BTC, one to rent, one steady.</summary>
    private static double[][] FourUses(int paths, int seed)
    {
        var random = new Random(seed);
        var uses = new double[4][];
        for (int u = 0; u < 4; u++)
            uses[u] = new double[paths];
        for (int p = 0; p < paths; p++)
        {
            double btc = random.NextDouble() - 0.5, rent = random.NextDouble() - 0.5;
            uses[0][p] = 300_000 + (900_000 * btc);
            uses[1][p] = 500_000 + (600_000 * rent) + (100_000 * btc);
            uses[2][p] = random.NextDouble() < 0.05 ? -200_000 : 350_000;
            uses[3][p] = -50_000 + (1_000 * btc);
        }
        return uses;
    }

    [Fact]
    public void Four_uses_in_tenths_make_286_mixes_whose_grid_shares_sum_to_exactly_one()
    {
        Assert.Equal(286, EfficientMixes.MixCount(4, 10));
        Assert.Equal(11, EfficientMixes.MixCount(2, 10));
        Assert.Equal(1, EfficientMixes.MixCount(1, 10));
        var frontier = EfficientMixes.Evaluate(FourUses(1_000, 1));
        Assert.Equal(10, frontier.Steps);
        Assert.Equal(286, frontier.Mixes.Count);
        Assert.Equal(286, frontier.Mixes.Select(m => string.Join(',', m.GridShares!)).Distinct().Count());
        foreach (var mix in frontier.Mixes)
        {
            var grid = mix.GridShares!;
            Assert.Equal(10, grid.Sum());
            Assert.All(grid, g => Assert.InRange(g, 0, 10));
            for (int u = 0; u < 4; u++)
                Assert.Equal(grid[u] / 10.0, mix.Shares[u]);
            // As doubles, 30 of the 286 sums miss 1 by an ulp (0.1 is not a binary fraction); never by more.
            Assert.Equal(1.0, mix.Shares.Sum(), 1e-15);
        }
        Assert.Equal([0, 0, 0, 10], frontier.Mixes[0].GridShares!);
        Assert.Equal([10, 0, 0, 0], frontier.Mixes[^1].GridShares!);
    }

    [Fact]
    public void A_use_better_on_every_path_is_the_whole_efficient_set()
    {
        double[] b = [.. Enumerable.Range(0, 101).Select(i => Math.Sin(i) * 100)];
        double[] a = [.. b.Select(v => v + 1)];
        var frontier = EfficientMixes.Evaluate([a, b]);
        Assert.Equal(11, frontier.Mixes.Count);
        var only = Assert.Single(frontier.Efficient);
        Assert.Equal([1.0, 0.0], only.Shares);
        // A alone is its own values exactly.
        Assert.Equal(Quantiles.Of((double[])a.Clone()), only.Quantiles);
    }

    [Fact]
    public void A_hedge_pair_makes_a_diversified_frontier_with_the_even_mix_safest()
    {
        // z runs evenly from −1 to 1 over 101 paths (median 0, P10 −0.8, P90 0.8). A = 1.5 + z (higher median,
        // riskier), B = 1 − z: perfectly negatively correlated. The mix with share s of A is 1 + s/2 + (2s − 1)·z:
        // P50 = 1 + s/2 rises with s, P10 = 1 + s/2 − |2s − 1|·0.8 peaks at s = 0.5 (1.25, against 0.7 for A and
        // 0.2 for B alone). So s below 0.5 is beaten by 0.5, and 0.5 … 1 trade median for safety.
        double[] z = [.. Enumerable.Range(0, 101).Select(i => -1 + (i / 50.0))];
        double[] a = [.. z.Select(v => 1.5 + v)];
        double[] b = [.. z.Select(v => 1 - v)];
        var frontier = EfficientMixes.Evaluate([a, b]);
        Assert.Equal([5, 6, 7, 8, 9, 10], frontier.Efficient.Select(m => m.GridShares![0]));
        var even = frontier.Efficient[0];
        Assert.Equal(1.25, even.Quantiles.P10, 12);
        Assert.Equal(1.25, even.Quantiles.P50, 12);
        Assert.Equal(0.7, frontier.Mixes.Single(m => m.GridShares![0] == 10).Quantiles.P10, 12);
        Assert.Equal(0.2, frontier.Mixes.Single(m => m.GridShares![0] == 0).Quantiles.P10, 12);
        Assert.Equal(frontier.Mixes.Max(m => m.Quantiles.P10), even.Quantiles.P10);
    }

    [Fact]
    public void Mixes_that_tie_on_both_quantiles_are_all_efficient()
    {
        // Every mix of two uses worth 1 on every path is worth k/10 + (10 − k)/10 = 1 exactly: nothing beats anything.
        var frontier = EfficientMixes.Evaluate([[1, 1, 1], [1, 1, 1]]);
        Assert.All(frontier.Mixes, m => Assert.Equal(new Quantiles(1, 1, 1, 0), m.Quantiles));
        Assert.Equal(frontier.Mixes, frontier.Efficient);
    }

    [Fact]
    public void Mix_counts_are_binomials_and_saturate_past_a_long()
    {
        Assert.Equal(1_771, EfficientMixes.MixCount(4, 20));
        Assert.Equal(176_851, EfficientMixes.MixCount(4, 100));
        Assert.Equal(101, EfficientMixes.MixCount(2, 100));
        Assert.Equal(long.MaxValue, EfficientMixes.MixCount(40, int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => EfficientMixes.MixCount(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => EfficientMixes.MixCount(3, 0));
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(4, 10)]
    public void The_efficient_set_is_exactly_the_mixes_no_mix_beats(int seed, int steps)
    {
        var frontier = EfficientMixes.Evaluate(FourUses(2_000, seed), steps);
        Assert.Equal(EfficientMixes.MixCount(4, steps), frontier.Mixes.Count);
        var efficient = frontier.Efficient.ToHashSet();
        Assert.NotEmpty(efficient);
        foreach (var mix in frontier.Mixes)
        {
            bool beaten = frontier.Mixes.Any(other => Beats(other, mix));
            Assert.Equal(!beaten, efficient.Contains(mix));
            Assert.Equal(beaten, frontier.Mixes.Any(other => other.Beats(mix)));
        }
        // In the order of the mixes.
        Assert.Equal(frontier.Efficient, frontier.Mixes.Where(efficient.Contains));
    }

    [Fact]
    public void Results_are_the_same_bits_run_to_run_and_as_single_mixes_and_leave_the_inputs_alone()
    {
        double[][] uses = FourUses(10_000, 5);
        double[][] before = [.. uses.Select(u => (double[])u.Clone())];
        var first = EfficientMixes.Evaluate(uses);
        var second = EfficientMixes.Evaluate(uses);
        for (int i = 0; i < first.Mixes.Count; i++)
        {
            Assert.Equal(first.Mixes[i].Quantiles, second.Mixes[i].Quantiles);
            var single = EfficientMixes.EvaluateMix(uses, [.. first.Mixes[i].Shares]);
            Assert.Equal(first.Mixes[i].Quantiles, single.Quantiles);
            Assert.Null(single.GridShares);
        }
        Assert.Equal(first.Efficient.Select(m => m.Shares), second.Efficient.Select(m => m.Shares));
        for (int u = 0; u < uses.Length; u++)
            Assert.True(MemoryMarshal.AsBytes(uses[u].AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(before[u].AsSpan())));
    }

    [Fact]
    public void A_single_mix_is_the_weighted_sum_of_the_uses_path_by_path()
    {
        double[] a = [-10, 0, 10, 20, 30], b = [5, 5, 5, 5, -5];
        // 0.25·a + 0.75·b = {1.25, 3.75, 6.25, 8.75, 3.75}: sorted 1.25, 3.75, 3.75, 6.25, 8.75.
        var mix = EfficientMixes.EvaluateMix([a, b], [0.25, 0.75]);
        Assert.Equal(3.75, mix.Quantiles.P50, 12);
        Assert.Equal(1.25 + (0.4 * 2.5), mix.Quantiles.P10, 12);
        Assert.Equal(6.25 + (0.6 * 2.5), mix.Quantiles.P90, 12);
        Assert.Equal(0, mix.Quantiles.ProbabilityOfLoss);
        Assert.Equal(0.2, EfficientMixes.EvaluateMix([a, b], [1, 0]).Quantiles.ProbabilityOfLoss);
        Assert.Equal([0.25, 0.75], mix.Shares);
    }

    [Fact]
    public void Bad_shares_and_values_are_refused()
    {
        double[][] uses = [[1, 2, 3], [4, 5, 6]];
        Assert.Throws<ArgumentException>(() => EfficientMixes.EvaluateMix(uses, [1.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => EfficientMixes.EvaluateMix(uses, [1.1, -0.1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => EfficientMixes.EvaluateMix(uses, [0.5, 0.5 + 1e-6]));
        Assert.Throws<ArgumentOutOfRangeException>(() => EfficientMixes.EvaluateMix(uses, [double.NaN, 1]));
        // Within 10^−9 of 1 is accepted.
        Assert.Equal(2, EfficientMixes.EvaluateMix(uses, [0.3, 0.7 + 1e-10]).Shares.Count);

        Assert.Throws<ArgumentException>(() => EfficientMixes.Evaluate([]));
        Assert.Throws<ArgumentException>(() => EfficientMixes.Evaluate([[1, 2], [1, 2, 3]]));
        Assert.Throws<ArgumentException>(() => EfficientMixes.Evaluate([[], []]));
        Assert.Throws<ArgumentException>(() => EfficientMixes.Evaluate([[1, double.NaN]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => EfficientMixes.Evaluate(uses, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => EfficientMixes.Evaluate(FourUses(10, 1), 1_000));
    }
}
