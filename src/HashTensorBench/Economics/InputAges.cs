namespace HashTensorBench.Economics;

/// <summary>
/// How old the dated defaults among some inputs are on a day, and which are stale (older than
/// <see cref="MarketDefaults.StaleAfterDays"/>): what compare and site both warn about. A value the user set, a
/// measured or derived one, and a rule or assumption have no age.
/// </summary>
/// <param name="Today">The day the ages are counted to.</param>
/// <param name="Ages">The age of every dated default among the inputs, in their order.</param>
public sealed record InputAges(DateOnly Today, IReadOnlyList<(string Key, int AgeDays)> Ages)
{
    /// <summary>The ages of the dated defaults among <paramref name="inputs"/> on <paramref name="today"/>.</summary>
    public static InputAges Of(IEnumerable<(InputDefinition Input, MarketInput Value)> inputs, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return new(today, [.. inputs.Select(i => (i.Input.Key, Age: i.Value.AgeDays(today))).Where(i => i.Age is not null).Select(i => (i.Key, i.Age!.Value))]);
    }

    /// <summary>The defaults older than <see cref="MarketDefaults.StaleAfterDays"/>, oldest first.</summary>
    public IReadOnlyList<(string Key, int AgeDays)> Stale =>
        [.. Ages.Where(a => a.AgeDays > MarketDefaults.StaleAfterDays).OrderByDescending(a => a.AgeDays)];
}
