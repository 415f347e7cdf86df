using System.Runtime.CompilerServices;

namespace HashTensorBench.Economics.Risk;

/// <summary>
/// Draws the Monte Carlo paths of a site decision, month by month: the BTC price and the GPU rent, each as a factor
/// of today's value, and a uniform draw per month for events such as a tenant's default. A path pricer values one
/// path; this type knows nothing of what the paths are worth.
/// </summary>
/// <remarks>
/// <para>
/// The model, in monthly steps of dt = 1/12 year. BTC follows geometric Brownian motion with drift μ and volatility σ:
/// ln S(m+1) − ln S(m) = (μ − σ²/2)·dt + σ·√dt·Z1. The rent moves around its trend (1 + c)^t with volatility σr:
/// ln R(m+1) − ln R(m) = ln(1 + c)·dt − σr²/2·dt + σr·√dt·Z2, with Z2 = ρ·Z1 + √(1 − ρ²)·Z3, so that
/// E[S(m)] = e^(μ·m/12) and E[R(m)] = (1 + c)^(m/12). Z1 and Z3 are independent standard normal draws.
/// </para>
/// <para>
/// Each factor is its trend, computed once for every month (e^(μ·t), (1 + c)^t), times the exponential of the
/// path's shocks; with zero volatility the shocks' part is exactly 1, so the paths are the deterministic case
/// exactly rather than up to rounding accumulated month by month.
/// </para>
/// <para>
/// Path p's draws come from its own xoshiro256** generator, seeded through SplitMix64 from (seed, p) alone: paths
/// can be drawn in any order, on any number of threads, and a seeded run is the same bit for bit. (Across operating
/// systems <see cref="Math.Exp"/>, <see cref="Math.Log(double)"/> and <see cref="Math.Pow"/> come from the platform's C
/// library and may differ in the last bit.) A path of fewer months is a prefix of the same path with more, as each
/// month draws its shocks and then its uniform.
/// </para>
/// <para>An instance only reads its fields once built: one generator can fill paths from many threads at once.</para>
/// </remarks>
public sealed class PathGenerator
{
    private const double MonthsPerYear = 12;

    private readonly double[] _btcTrend;
    private readonly double[] _rentTrend;
    private readonly double _btcShock;
    private readonly double _btcConvexity;
    private readonly double _rentShock;
    private readonly double _rentConvexity;
    private readonly double _correlation;
    private readonly double _independent;
    private readonly ulong _seedKey;

    /// <summary>A generator for <paramref name="settings"/>.</summary>
    public PathGenerator(PathSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        int months = settings.Months;
        _btcTrend = new double[months];
        _rentTrend = new double[months];
        for (int m = 0; m < months; m++)
        {
            double years = m / MonthsPerYear;
            _btcTrend[m] = Math.Exp(settings.BtcDrift * years);
            _rentTrend[m] = Math.Pow(1 + settings.RentChange, years);
        }
        double sqrtDt = Math.Sqrt(1 / MonthsPerYear);
        _btcShock = settings.BtcVolatility * sqrtDt;
        _btcConvexity = settings.BtcVolatility * settings.BtcVolatility / 2;
        _rentShock = settings.RentVolatility * sqrtDt;
        _rentConvexity = settings.RentVolatility * settings.RentVolatility / 2;
        _correlation = settings.RentBtcCorrelation;
        _independent = Math.Sqrt(1 - (_correlation * _correlation));
        _seedKey = SplitMix64.Mix(settings.Seed);
    }

    /// <summary>The settings the paths are drawn from.</summary>
    public PathSettings Settings { get; }

    /// <summary>Months in a path: the length each span given to <see cref="Fill"/> must have.</summary>
    public int Months => _btcTrend.Length;

    /// <summary>
    /// Fills path <paramref name="path"/>: for each month m, <paramref name="btc"/>[m] = S(m)/S(0) and
    /// <paramref name="rent"/>[m] = R(m)/R(0) (both 1 at m = 0), and <paramref name="uniform"/>[m] a uniform draw
    /// in [0, 1). The caller owns the spans, so a thread can reuse one set for all its paths.
    /// </summary>
    /// <param name="path">The path's index, 0 or more; with the seed it alone decides the draws.</param>
    /// <param name="btc">The BTC price factors, <see cref="Months"/> long.</param>
    /// <param name="rent">The GPU rent factors, <see cref="Months"/> long.</param>
    /// <param name="uniform">The monthly uniform draws, <see cref="Months"/> long.</param>
    // Full optimisation from the first call: a one-shot run fills each thread's paths in one long loop that
    // tier-0 code would run several times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(int path, Span<double> btc, Span<double> rent, Span<double> uniform)
    {
        if (path < 0)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(path), "A path index is 0 or more.");
        int months = Months;
        if (btc.Length != months)
            ThrowWrongLength(nameof(btc), btc.Length, months);
        if (rent.Length != months)
            ThrowWrongLength(nameof(rent), rent.Length, months);
        if (uniform.Length != months)
            ThrowWrongLength(nameof(uniform), uniform.Length, months);

        // The path's own stream: a bijection of the seed's key plus p, so paths of one seed never share a state.
        var random = new Xoshiro256StarStar(SplitMix64.Mix(_seedKey + (ulong)path));
        ReadOnlySpan<double> btcTrend = _btcTrend;
        ReadOnlySpan<double> rentTrend = _rentTrend;
        btc[0] = btcTrend[0];
        rent[0] = rentTrend[0];
        uniform[0] = random.NextDouble();
        double btcShocks = 0, rentShocks = 0;
        for (int m = 1; m < months; m++)
        {
            // Marsaglia's polar method: two independent standard normals from a point drawn uniformly in the unit
            // disc, one logarithm and one square root, no sine or cosine (Box–Muller's cost); it rejects 21.5 % of
            // the points, which changes how many draws a month takes but not that they depend only on (seed, p).
            double x, y, s;
            do
            {
                x = (2 * random.NextDouble()) - 1;
                y = (2 * random.NextDouble()) - 1;
                s = (x * x) + (y * y);
            }
            while (s >= 1 || s == 0);
            double scale = Math.Sqrt(-2 * Math.Log(s) / s);
            double z1 = x * scale, z3 = y * scale;

            btcShocks += z1;
            rentShocks += (_correlation * z1) + (_independent * z3);
            double years = m / MonthsPerYear;
            btc[m] = btcTrend[m] * Math.Exp((_btcShock * btcShocks) - (_btcConvexity * years));
            rent[m] = rentTrend[m] * Math.Exp((_rentShock * rentShocks) - (_rentConvexity * years));
            uniform[m] = random.NextDouble();
        }
    }

    private static void ThrowWrongLength(string name, int length, int months) =>
        ThrowHelper.ThrowArgument(name, $"The {name} span holds {length} months; the paths have {months}.");
}
