using System.Runtime.InteropServices;
using HashTensorBench.Economics.Risk;

namespace HashTensorBench.Tests.Economics.Risk;

public class PathGeneratorTests
{
    /// <summary>Every path of a generator, as [path][month] arrays.</summary>
    private sealed record Paths(double[][] Btc, double[][] Rent, double[][] Uniform);

    private static Paths Draw(PathGenerator generator, IEnumerable<int> order, int count)
    {
        var paths = new Paths(new double[count][], new double[count][], new double[count][]);
        foreach (int p in order)
            Fill(generator, paths, p);
        return paths;
    }

    private static void Fill(PathGenerator generator, Paths paths, int p)
    {
        int months = generator.Months;
        (paths.Btc[p], paths.Rent[p], paths.Uniform[p]) = (new double[months], new double[months], new double[months]);
        generator.Fill(p, paths.Btc[p], paths.Rent[p], paths.Uniform[p]);
    }

    private static bool SameBits(double[][] a, double[][] b) =>
        a.Length == b.Length && a.Zip(b).All(pair => MemoryMarshal.AsBytes(pair.First.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(pair.Second.AsSpan())));

    private static bool SameBits(Paths a, Paths b) => SameBits(a.Btc, b.Btc) && SameBits(a.Rent, b.Rent) && SameBits(a.Uniform, b.Uniform);

    private static PathSettings Settings(double btcVolatility = 0.6, double rentVolatility = 0.3, double correlation = 0.5,
        double drift = 0, double rentChange = -0.12, int months = 180, ulong seed = 2026) =>
        new(months, drift, btcVolatility, rentChange, rentVolatility, correlation, seed);

    [Fact]
    public void Splitmix64_and_xoshiro256starstar_give_the_reference_outputs()
    {
        // SplitMix64 from seed 0, and xoshiro256** from the state {1, 2, 3, 4}: the outputs of the authors' C code
        // (the same vectors as Rust's rand_xoshiro tests).
        ulong state = 0;
        Assert.Equal(0xE220A8397B1DCDAFUL, SplitMix64.Next(ref state));
        Assert.Equal(0x6E789E6AA1B965F4UL, SplitMix64.Next(ref state));
        var random = new Xoshiro256StarStar(1, 2, 3, 4);
        ulong[] expected = [11520, 0, 1509978240, 1215971899390074240, 1216172134540287360, 607988272756665600];
        Assert.Equal(expected, Enumerable.Range(0, 6).Select(_ => random.NextUInt64()).ToArray());
    }

    [Fact]
    public void Zero_volatility_without_drift_keeps_btc_at_exactly_one_and_rent_on_its_trend()
    {
        var generator = new PathGenerator(Settings(btcVolatility: 0, rentVolatility: 0, drift: 0, rentChange: -0.12, months: 600));
        var paths = Draw(generator, Enumerable.Range(0, 8), 8);
        for (int p = 0; p < 8; p++)
        {
            Assert.All(paths.Btc[p], factor => Assert.Equal(1.0, factor));
            for (int m = 0; m < 600; m++)
            {
                double trend = Math.Pow(0.88, m / 12.0);
                Assert.True(Math.Abs(paths.Rent[p][m] - trend) <= 1e-12 * trend, $"path {p} month {m}: {paths.Rent[p][m]} vs {trend}");
            }
            Assert.Equal(1.0, paths.Rent[p][0]);
            // A year on, the rent is 1 + c = 0.88; ten years on, 0.88^10.
            Assert.Equal(0.88, paths.Rent[p][12], 1e-12);
            Assert.Equal(Math.Pow(0.88, 10), paths.Rent[p][120], 1e-12 * Math.Pow(0.88, 10));
        }
    }

    [Fact]
    public void Zero_volatility_with_drift_grows_btc_as_e_to_the_drift_times_years()
    {
        var generator = new PathGenerator(Settings(btcVolatility: 0, rentVolatility: 0, drift: 0.1, rentChange: 0.05, months: 61));
        double[] btc = new double[61], rent = new double[61], uniform = new double[61];
        generator.Fill(3, btc, rent, uniform);
        Assert.Equal(1.0, btc[0]);
        // e^0.1 = 1.1051709180756477 after one year; e^0.5 after five.
        Assert.Equal(Math.Exp(0.1), btc[12]);
        Assert.Equal(1.1051709180756477, btc[12], 15);
        Assert.Equal(Math.Exp(0.5), btc[60], 1e-12 * Math.Exp(0.5));
        Assert.Equal(Math.Exp(0.1 / 12), btc[1], 1e-15);
        Assert.Equal(1.05, rent[12], 1e-12);
    }

    [Fact]
    public void The_same_seed_gives_the_same_bits_in_any_order_and_on_any_threads()
    {
        const int count = 96;
        var generator = new PathGenerator(Settings());
        var inOrder = Draw(generator, Enumerable.Range(0, count), count);
        var reversed = Draw(new PathGenerator(Settings()), Enumerable.Range(0, count).Reverse(), count);
        var threaded = new Paths(new double[count][], new double[count][], new double[count][]);
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => Fill(generator, threaded, count - 1 - i));
        var threads = new Paths(new double[count][], new double[count][], new double[count][]);
        var workers = Enumerable.Range(0, 3).Select(t => new Thread(() =>
        {
            for (int p = t; p < count; p += 3)
                Fill(generator, threads, p);
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        Assert.True(SameBits(inOrder, reversed));
        Assert.True(SameBits(inOrder, threaded));
        Assert.True(SameBits(inOrder, threads));

        var otherSeed = Draw(new PathGenerator(Settings(seed: 2027)), Enumerable.Range(0, count), count);
        for (int p = 0; p < count; p++)
        {
            Assert.NotEqual(inOrder.Btc[p], otherSeed.Btc[p]);
            Assert.NotEqual(inOrder.Rent[p], otherSeed.Rent[p]);
            Assert.NotEqual(inOrder.Uniform[p], otherSeed.Uniform[p]);
        }
        // Paths of one seed differ from each other too.
        Assert.Equal(count, inOrder.Uniform.Select(u => u[0]).Distinct().Count());
    }

    [Fact]
    public void A_shorter_horizon_is_a_prefix_of_a_longer_one()
    {
        var longer = new PathGenerator(Settings(months: 180));
        var shorter = new PathGenerator(Settings(months: 37));
        double[] btc = new double[180], rent = new double[180], uniform = new double[180];
        double[] btc37 = new double[37], rent37 = new double[37], uniform37 = new double[37];
        longer.Fill(11, btc, rent, uniform);
        shorter.Fill(11, btc37, rent37, uniform37);
        Assert.Equal(btc37, btc[..37]);
        Assert.Equal(rent37, rent[..37]);
        Assert.Equal(uniform37, uniform[..37]);
    }

    [Fact]
    public void Twenty_thousand_paths_at_month_12_have_the_moments_of_the_lognormal()
    {
        const int count = 20_000;
        const double sigma = 0.5;
        var generator = new PathGenerator(Settings(btcVolatility: sigma, rentVolatility: 0.3, correlation: 0.8, drift: 0, rentChange: -0.12, months: 13));
        double[] btc = new double[13], rent = new double[13], uniform = new double[13];
        var btc12 = new double[count];
        var rent12 = new double[count];
        for (int p = 0; p < count; p++)
        {
            generator.Fill(p, btc, rent, uniform);
            btc12[p] = btc[12];
            rent12[p] = rent[12];
        }
        // E[S] = e^(μt) = 1, within three standard errors of the sample.
        var (mean, sd) = MeanAndSd(btc12);
        Assert.InRange(mean, 1 - (3 * sd / Math.Sqrt(count)), 1 + (3 * sd / Math.Sqrt(count)));
        // ln S ~ N(−σ²/2, σ²): the mean's standard error is σ/√n, the standard deviation's about σ/√(2n).
        var (logMean, logSd) = MeanAndSd(btc12.Select(v => Math.Log(v)).ToArray());
        Assert.InRange(logMean, (-sigma * sigma / 2) - (3 * sigma / Math.Sqrt(count)), (-sigma * sigma / 2) + (3 * sigma / Math.Sqrt(count)));
        Assert.InRange(logSd, sigma - (3 * sigma / Math.Sqrt(2 * count)), sigma + (3 * sigma / Math.Sqrt(2 * count)));
        // E[R] = 1 + c = 0.88 a year on.
        var (rentMean, rentSd) = MeanAndSd(rent12);
        Assert.InRange(rentMean, 0.88 - (3 * rentSd / Math.Sqrt(count)), 0.88 + (3 * rentSd / Math.Sqrt(count)));
    }

    [Theory]
    [InlineData(0.8, 0.03)]
    [InlineData(0.0, 0.03)]
    [InlineData(-0.5, 0.03)]
    [InlineData(-1.0, 1e-9)]
    [InlineData(1.0, 1e-9)]
    public void Log_increments_of_rent_and_btc_have_the_set_correlation(double rho, double tolerance)
    {
        const int count = 20_000;
        var generator = new PathGenerator(Settings(btcVolatility: 0.5, rentVolatility: 0.3, correlation: rho, months: 13));
        double[] btc = new double[13], rent = new double[13], uniform = new double[13];
        var btcSteps = new double[count];
        var rentSteps = new double[count];
        for (int p = 0; p < count; p++)
        {
            generator.Fill(p, btc, rent, uniform);
            int m = p % 12;
            btcSteps[p] = Math.Log(btc[m + 1] / btc[m]);
            rentSteps[p] = Math.Log(rent[m + 1] / rent[m]);
        }
        Assert.Equal(rho, Correlation(btcSteps, rentSteps), tolerance);
    }

    [Fact]
    public void Uniforms_lie_in_zero_to_one_with_mean_one_half()
    {
        var generator = new PathGenerator(Settings(months: 120));
        double[] btc = new double[120], rent = new double[120], uniform = new double[120];
        var all = new List<double>();
        for (int p = 0; p < 500; p++)
        {
            generator.Fill(p, btc, rent, uniform);
            all.AddRange(uniform);
        }
        Assert.All(all, u => Assert.InRange(u, 0.0, Math.BitDecrement(1.0)));
        // The standard deviation of U(0, 1) is 1/√12.
        double se = 1 / Math.Sqrt(12 * all.Count);
        Assert.InRange(all.Average(), 0.5 - (3 * se), 0.5 + (3 * se));
        Assert.InRange(all.Count(u => u < 0.1) / (double)all.Count, 0.095, 0.105);
    }

    [Fact]
    public void Spans_of_the_wrong_length_and_negative_paths_are_refused()
    {
        var generator = new PathGenerator(Settings(months: 24));
        var right = new double[24];
        Assert.Throws<ArgumentException>(() => generator.Fill(0, new double[23], right, right));
        Assert.Throws<ArgumentException>(() => generator.Fill(0, right, right, new double[25]));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Fill(-1, right, new double[24], new double[24]));
    }

    private static (double Mean, double Sd) MeanAndSd(double[] values)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return (mean, Math.Sqrt(variance));
    }

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
