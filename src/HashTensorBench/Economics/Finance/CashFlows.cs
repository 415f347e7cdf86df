namespace HashTensorBench.Economics.Finance;

/// <summary>
/// Values a list of monthly net cash flows (index m is month m, month 0 carrying the capex), QuantLib's
/// <c>CashFlows::npv</c> and <c>irr</c> for the site decision. Rates are yearly: a flow in month m is
/// discounted by (1 + r)^(m/12), so month 0 is not discounted.
/// </summary>
public static class CashFlows
{
    // IRR searches 1 + r over [0.01, 101] (r over [−99 %, 10,000 %]) on a logarithmic grid from r = 0: equal
    // steps of ln(1 + r), the continuously compounded rate, about 0.92 % each.
    private const double IrrLowestGrowth = 0.01;
    private const double IrrHighestGrowth = 101;
    private const int IrrGridSteps = 1000;

    /// <summary>The net present value at <paramref name="yearlyRate"/>: Σ flows[m] ÷ (1 + r)^(m/12).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="yearlyRate"/> is not greater than −1, or NaN.</exception>
    public static double Npv(ReadOnlySpan<double> flows, double yearlyRate)
    {
        if (!(yearlyRate > -1))
            ThrowHelper.ThrowArgumentOutOfRange(nameof(yearlyRate), $"A yearly rate must be greater than -1; got {yearlyRate}.");
        // One Math.Pow for the monthly factor, then a running product: the sum is taken over 180–600 months
        // thousands of times (IRR, break-evens, risk paths), and 600 products drift by under 1e-13.
        double monthly = Math.Pow(1 + yearlyRate, -1.0 / 12);
        double discount = 1, sum = 0;
        foreach (double cash in flows)
        {
            sum += cash * discount;
            discount *= monthly;
        }
        return sum;
    }

    /// <summary>
    /// The internal rate of return: the yearly rate r at which <see cref="Npv"/> is 0, or null when the flows
    /// never change sign or no such r lies in [−0.99, 100].
    /// </summary>
    /// <remarks>
    /// Flows that change sign more than once (a renewal capex) can have several such rates; this returns the
    /// one nearest 0, measured in ln(1 + r) on a grid of about 0.92 % steps. Two rates closer together than a
    /// step cancel and are not seen.
    /// </remarks>
    public static double? Irr(ReadOnlySpan<double> flows)
    {
        bool gains = false, losses = false;
        foreach (double cash in flows)
        {
            gains |= cash > 0;
            losses |= cash < 0;
        }
        if (!(gains && losses))
            return null;

        // A span cannot be captured by the lambdas; one copy serves the ~100 NPVs of the search.
        double[] copy = flows.ToArray();
        var bracket = RootFinder.Bracket(growth => Npv(copy, growth - 1), IrrLowestGrowth, IrrHighestGrowth, IrrGridSteps,
            start: 1, GridSpacing.Logarithmic);
        return bracket is (double low, double high) ? RootFinder.Brent(rate => Npv(copy, rate), low - 1, high - 1) : null;
    }

    /// <summary>
    /// The first month from which the cumulative, undiscounted cash stays at or above 0 to the end of the
    /// flows; null when the last cumulative sum is negative (or the list is empty).
    /// </summary>
    /// <remarks>
    /// "Stays" matters when a later capex (a renewal) takes the sum below 0 again: the payback is then the
    /// month after the last time it is negative, not the first time it reaches 0. Flows that never go below 0
    /// pay back in month 0.
    /// </remarks>
    public static int? PaybackMonth(ReadOnlySpan<double> flows)
    {
        double cumulative = 0;
        int lastNegative = -1;
        for (int month = 0; month < flows.Length; month++)
        {
            cumulative += flows[month];
            if (!(cumulative >= 0))
                lastNegative = month;
        }
        return lastNegative + 1 < flows.Length ? lastNegative + 1 : null;
    }

    /// <summary>
    /// The level yearly amount over <paramref name="years"/> worth <paramref name="npv"/> today at
    /// <paramref name="yearlyRate"/>: npv ÷ <see cref="AnnuityFactor"/>. It compares uses of different lives.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">As for <see cref="AnnuityFactor"/>.</exception>
    public static double EquivalentAnnualAnnuity(double npv, double yearlyRate, double years) =>
        npv / AnnuityFactor(yearlyRate, years);

    /// <summary>
    /// What 1 a year, paid at the end of each of <paramref name="years"/> years, is worth today:
    /// (1 − (1 + r)^−years) ÷ r, or <paramref name="years"/> at r = 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="yearlyRate"/> is not greater than −1, or
    /// <paramref name="years"/> is not positive.</exception>
    public static double AnnuityFactor(double yearlyRate, double years)
    {
        if (!(yearlyRate > -1))
            ThrowHelper.ThrowArgumentOutOfRange(nameof(yearlyRate), $"A yearly rate must be greater than -1; got {yearlyRate}.");
        if (!(years > 0))
            ThrowHelper.ThrowArgumentOutOfRange(nameof(years), $"An annuity must last a positive number of years; got {years}.");
        // Below |r| = 1e-9 the closed form loses digits as (1 + r)^−years nears 1, while the factor is the
        // number of years to a relative (years + 1)·|r|/2, under 1e-7 for any plant life.
        return Math.Abs(yearlyRate) < 1e-9 ? years : (1 - Math.Pow(1 + yearlyRate, -years)) / yearlyRate;
    }
}
