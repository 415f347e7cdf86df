namespace HashTensorBench.Economics.Finance;

/// <summary>
/// One use's net cash per month, and nothing else: <see cref="Cash"/>[m] is month m's, month 0 carrying
/// the capex. As QuantLib keeps a leg as data and prices it with free functions, the valuation is
/// <see cref="CashFlows"/>' functions over <see cref="Cash"/>.
/// </summary>
public sealed class MonthlyFlows
{
    private readonly double[] _cash;

    /// <summary>Copies <paramref name="cash"/>, month 0 first.</summary>
    /// <exception cref="ArgumentException">A month is NaN or infinite: every valuation would be NaN, far from the cause.</exception>
    public MonthlyFlows(ReadOnlySpan<double> cash)
    {
        for (int month = 0; month < cash.Length; month++)
        {
            if (!double.IsFinite(cash[month]))
                ThrowHelper.ThrowArgument(nameof(cash), $"Month {month}'s cash must be finite; got {cash[month]}.");
        }
        _cash = cash.ToArray();
    }

    /// <summary>The net cash of each month, month 0 first.</summary>
    public ReadOnlySpan<double> Cash => _cash;

    /// <summary>
    /// <paramref name="capex"/> paid in month 0, then <paramref name="monthlyNet"/> in each of months 1 to
    /// <paramref name="months"/>: a use that earns the same every month of its life.
    /// </summary>
    public static MonthlyFlows Level(double capex, double monthlyNet, int months)
    {
        if (months < 0)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(months), $"The life must be at least 0 months; got {months}.");
        var cash = new double[months + 1];
        cash[0] = -capex;
        cash.AsSpan(1).Fill(monthlyNet);
        return new MonthlyFlows(cash);
    }
}
