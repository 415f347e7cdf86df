using HashTensorBench.Economics.Finance;

namespace HashTensorBench.Tests.Economics.Finance;

public class RootFinderTests
{
    [Fact]
    public void Brent_finds_the_square_root_of_two_faster_than_bisection()
    {
        int evaluations = 0;
        double root = RootFinder.Brent(x => { evaluations++; return x * x - 2; }, 0, 2)!.Value;
        Assert.Equal(Math.Sqrt(2), root, 1e-12);
        // Bisection needs 41 halvings of [0, 2] to reach 1e-12; interpolation converges superlinearly.
        Assert.InRange(evaluations, 3, 15);
        // Either order of the ends.
        Assert.Equal(Math.Sqrt(2), RootFinder.Brent(x => x * x - 2, 2, 0)!.Value, 1e-12);
    }

    [Fact]
    public void Brent_returns_a_root_at_an_end_as_it_is()
    {
        Assert.Equal(2, RootFinder.Brent(x => x - 2, 0, 2));
        Assert.Equal(2, RootFinder.Brent(x => x - 2, 2, 5));
    }

    [Fact]
    public void Brent_is_null_without_a_sign_change_or_where_f_is_nan()
    {
        Assert.Null(RootFinder.Brent(x => x * x + 1, -1, 1));
        // Two roots (±1) inside: no sign change between the ends.
        Assert.Null(RootFinder.Brent(x => x * x - 1, -2, 2));
        Assert.Null(RootFinder.Brent(x => Math.Sqrt(x) - 1, -1, 4));
        // The first bisection lands on 0.5, inside the hole.
        Assert.Null(RootFinder.Brent(x => x is > 0.4 and < 0.6 ? double.NaN : x - 0.5, 0, 1));
    }

    [Fact]
    public void Bracket_finds_the_sign_change_nearest_the_start_either_way()
    {
        static double F(double x) => (x - 1) * (x - 4);
        // From 3, 4 is one away and 1 two: upward.
        var (low, high) = RootFinder.Bracket(F, 0, 10, 100, start: 3)!.Value;
        Assert.InRange(4, low, high);
        Assert.Equal(0.1, high - low, 1e-9);
        // From 2, 1 is nearer: downward.
        (low, high) = RootFinder.Bracket(F, 0, 10, 100, start: 2)!.Value;
        Assert.InRange(1, low, high);
        Assert.Equal(0.1, high - low, 1e-9);
        // Without a start the scan runs up from the low end.
        (low, high) = RootFinder.Bracket(F, 0, 10, 100)!.Value;
        Assert.InRange(1, low, high);
        Assert.Null(RootFinder.Bracket(x => x * x + 1, -10, 10, 100, start: 0));
    }

    [Fact]
    public void Bracket_on_a_logarithmic_grid_measures_nearness_in_decades()
    {
        static double F(double x) => (x - 0.01) * (x - 1000);
        // 90 steps over nine decades, a tenth of a decade each. From 1, 0.01 is two decades away and 1000 three,
        // though 1000 is far nearer in difference.
        var (low, high) = RootFinder.Bracket(F, 1e-3, 1e6, 90, start: 1, GridSpacing.Logarithmic)!.Value;
        Assert.InRange(0.01, low, high);
        Assert.Equal(Math.Pow(10, 0.1), high / low, 1e-9);
        // From 100, 1000 is one decade away.
        (low, high) = RootFinder.Bracket(F, 1e-3, 1e6, 90, start: 100, GridSpacing.Logarithmic)!.Value;
        Assert.InRange(1000, low, high);
    }

    [Fact]
    public void Bracket_reads_nan_as_no_root_and_hands_brent_an_interval()
    {
        // √x is NaN below 0: the scan down from 0 finds nothing, the scan up finds the root at 4 on a grid point.
        var (low, high) = RootFinder.Bracket(x => Math.Sqrt(x) - 2, -10, 10, 20, start: 0)!.Value;
        Assert.Equal((3.0, 4.0), (low, high));
        Assert.Equal(4, RootFinder.Brent(x => Math.Sqrt(x) - 2, low, high)!.Value, 1e-12);
    }

    [Fact]
    public void Nonsense_grids_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RootFinder.Bracket(x => x, 1, 1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => RootFinder.Bracket(x => x, 0, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RootFinder.Bracket(x => x, 0, 1, 10, start: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => RootFinder.Bracket(x => x, 0, 1, 10, spacing: GridSpacing.Logarithmic));
        Assert.Throws<ArgumentOutOfRangeException>(() => RootFinder.Brent(x => x, -1, 1, tolerance: 0));
    }
}
