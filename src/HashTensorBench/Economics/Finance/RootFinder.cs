namespace HashTensorBench.Economics.Finance;

/// <summary>How <see cref="RootFinder.Bracket"/> spaces its grid.</summary>
public enum GridSpacing
{
    /// <summary>Equal differences: for quantities that may be negative (growth rates).</summary>
    Linear,

    /// <summary>Equal ratios: for positive quantities spanning decades (prices, rents, 1 + a rate).</summary>
    Logarithmic,
}

/// <summary>
/// Solves f(x) = 0 in one variable: <see cref="Bracket"/> finds an interval where f changes sign and
/// <see cref="Brent"/> narrows it. Both read a NaN from f as "no root here", so f may be NaN outside its domain.
/// </summary>
public static class RootFinder
{
    // The spacing of doubles at 1 (double.Epsilon is the smallest subnormal instead): Brent's tolerance
    // grows by a few of these times |x| so that a root far from 0 is not asked for more digits than exist.
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// A root of <paramref name="f"/> between <paramref name="low"/> and <paramref name="high"/> (either order)
    /// to within <paramref name="tolerance"/> (plus a few ulps of the root); null when f does not change sign
    /// between them, is NaN at a point it evaluates, or has not converged in <paramref name="maxIterations"/>.
    /// </summary>
    /// <remarks>
    /// Brent's method (R. P. Brent, Algorithms for Minimization without Derivatives, 1973; the shape of
    /// Numerical Recipes' zbrent): inverse quadratic interpolation or the secant where they step well inside
    /// the bracket, bisection where they do not, so it converges superlinearly on smooth f and never slower
    /// than bisection on any f. A root at an endpoint is returned as it is.
    /// </remarks>
    public static double? Brent(Func<double, double> f, double low, double high, double tolerance = 1e-12, int maxIterations = 200)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (!(tolerance > 0))
            ThrowHelper.ThrowArgumentOutOfRange(nameof(tolerance), $"The tolerance must be positive; got {tolerance}.");
        if (maxIterations < 1)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(maxIterations), $"At least one iteration is needed; got {maxIterations}.");

        double a = low, b = high, fa = f(a), fb = f(b);
        if (fa == 0)
            return a;
        if (fb == 0)
            return b;
        if (double.IsNaN(fa) || double.IsNaN(fb) || (fa > 0) == (fb > 0))
            return null;

        // b is the best estimate, a the previous one, c the far end of the bracket [b, c]; d is the last
        // step and e the one before it, which interpolation must more than halve to be trusted.
        double c = b, fc = fb, d = 0, e = 0;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            if ((fb > 0) == (fc > 0))
            {
                c = a;
                fc = fa;
                d = e = b - a;
            }
            if (Math.Abs(fc) < Math.Abs(fb))
            {
                (a, b, c) = (b, c, b);
                (fa, fb, fc) = (fb, fc, fb);
            }
            double tol = 2 * MachineEpsilon * Math.Abs(b) + 0.5 * tolerance;
            double half = 0.5 * (c - b);
            if (Math.Abs(half) <= tol || fb == 0)
                return b;

            if (Math.Abs(e) >= tol && Math.Abs(fa) > Math.Abs(fb))
            {
                double p, q, s = fb / fa;
                if (a == c)
                {
                    // Two points: the secant.
                    p = 2 * half * s;
                    q = 1 - s;
                }
                else
                {
                    // Three points: inverse quadratic interpolation.
                    double qa = fa / fc, r = fb / fc;
                    p = s * (2 * half * qa * (qa - r) - (b - a) * (r - 1));
                    q = (qa - 1) * (r - 1) * (s - 1);
                }
                if (p > 0)
                    q = -q;
                p = Math.Abs(p);
                if (2 * p < Math.Min(3 * half * q - Math.Abs(tol * q), Math.Abs(e * q)))
                {
                    e = d;
                    d = p / q;
                }
                else
                {
                    d = half;
                    e = d;
                }
            }
            else
            {
                d = half;
                e = d;
            }
            a = b;
            fa = fb;
            b += Math.Abs(d) > tol ? d : Math.CopySign(tol, half);
            fb = f(b);
            if (double.IsNaN(fb))
                return null;
        }
        return null;
    }

    /// <summary>
    /// The grid interval nearest <paramref name="start"/> (default <paramref name="low"/>) in
    /// [<paramref name="low"/>, <paramref name="high"/>] over which <paramref name="f"/> changes sign or
    /// reaches 0; null when no interval does.
    /// </summary>
    /// <remarks>
    /// The grid has <paramref name="steps"/> intervals across the range and is laid from
    /// <paramref name="start"/> outward, one interval up then one down, so the first sign change met is the
    /// nearest (upward on a tie) and f is evaluated only as far out as that. A NaN is no sign change. Two
    /// roots within one interval cancel and are not seen: choose <paramref name="steps"/> finer than the
    /// roots are apart.
    /// </remarks>
    public static (double Low, double High)? Bracket(Func<double, double> f, double low, double high, int steps,
        double? start = null, GridSpacing spacing = GridSpacing.Linear)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (!(low < high))
            ThrowHelper.ThrowArgumentOutOfRange(nameof(high), $"The range must be increasing; got [{low}, {high}].");
        if (steps < 1)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(steps), $"The grid needs at least one step; got {steps}.");
        bool logarithmic = spacing == GridSpacing.Logarithmic;
        if (logarithmic && !(low > 0))
            ThrowHelper.ThrowArgumentOutOfRange(nameof(low), $"A logarithmic grid needs a positive range; got [{low}, {high}].");
        double origin = start ?? low;
        if (!(origin >= low && origin <= high))
            ThrowHelper.ThrowArgumentOutOfRange(nameof(start), $"The start {origin} is outside [{low}, {high}].");

        double step = logarithmic ? Math.Log(high / low) / steps : (high - low) / steps;
        double up = origin, down = origin, fUp = f(origin), fDown = fUp;
        for (int k = 1; up < high || down > low; k++)
        {
            if (up < high)
            {
                double x = Math.Min(high, logarithmic ? origin * Math.Exp(k * step) : origin + k * step);
                double fx = f(x);
                if (ChangesSign(fUp, fx))
                    return (up, x);
                (up, fUp) = (x, fx);
            }
            if (down > low)
            {
                double x = Math.Max(low, logarithmic ? origin * Math.Exp(-k * step) : origin - k * step);
                double fx = f(x);
                if (ChangesSign(fx, fDown))
                    return (x, down);
                (down, fDown) = (x, fx);
            }
        }
        return null;
    }

    // False when either is NaN.
    private static bool ChangesSign(double a, double b) => (a <= 0 && b >= 0) || (a >= 0 && b <= 0);
}
