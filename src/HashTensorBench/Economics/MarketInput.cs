using System.Globalization;

namespace HashTensorBench.Economics;

/// <summary>Where an input's value came from.</summary>
public enum InputOrigin
{
    /// <summary>A dated published figure from the defaults file.</summary>
    Default,

    /// <summary>Set by the user on the command line or in a config file.</summary>
    User,

    /// <summary>Measured by <c>htb compare</c> (a report says on which device).</summary>
    Measured,

    /// <summary>Computed from other inputs; <see cref="MarketInput.Source"/> shows the arithmetic.</summary>
    Derived,

    /// <summary>No value: <see cref="MarketInput.Source"/> says why; figures that need it are unavailable.</summary>
    Unavailable,
}

/// <summary>One input of the pricing, with where it came from: a dated published default, the user, a measurement.</summary>
/// <param name="Value">The value, in <paramref name="Unit"/>; NaN when <see cref="Origin"/> is <see cref="InputOrigin.Unavailable"/>.</param>
/// <param name="Unit">Such as <c>USD</c>, <c>USD/kWh</c>, <c>BTC</c>.</param>
/// <param name="AsOf">The date the value refers to, as published, such as <c>2026-06-26</c>; <c>as given</c> for a user's value.</param>
/// <param name="Source">Where it was published, <c>user</c>, the measurement, the arithmetic, or why there is no value.</param>
public sealed record MarketInput(double Value, string Unit, string AsOf, string Source)
{
    /// <summary>The day the value refers to, for its age; null for rules, assumptions and the user's values, which do not age.</summary>
    public DateOnly? Date { get; init; }

    /// <summary>Where the value came from.</summary>
    public InputOrigin Origin { get; init; } = InputOrigin.Default;

    /// <summary>True for a default that is the tool's judgement, not a published figure (its <see cref="AsOf"/> says <c>assumption</c>).</summary>
    public bool IsAssumption => Origin == InputOrigin.Default && AsOf == "assumption";

    /// <summary>True when there is a value (not <see cref="InputOrigin.Unavailable"/>).</summary>
    public bool HasValue => Origin != InputOrigin.Unavailable;

    /// <summary>A value the user set on the command line or in a config file.</summary>
    public static MarketInput FromUser(double value, string unit) => new(value, unit, "as given", "user") { Origin = InputOrigin.User };

    /// <summary>A measured value; <paramref name="source"/> names the report and device.</summary>
    public static MarketInput Measured(double value, string unit, string asOf, string source) => new(value, unit, asOf, source) { Origin = InputOrigin.Measured };

    /// <summary>A value computed from others; <paramref name="arithmetic"/> shows how.</summary>
    public static MarketInput Derived(double value, string unit, string arithmetic) => new(value, unit, "derived", arithmetic) { Origin = InputOrigin.Derived };

    /// <summary>No value, and why.</summary>
    public static MarketInput Unavailable(string unit, string reason) => new(double.NaN, unit, "unavailable", reason) { Origin = InputOrigin.Unavailable };

    /// <summary>How old the value is on <paramref name="today"/>, in days; null when it does not age.</summary>
    public int? AgeDays(DateOnly today) => Origin == InputOrigin.Default && Date is DateOnly date ? today.DayNumber - date.DayNumber : null;

    /// <inheritdoc/>
    public override string ToString()
    {
        string value = Value.ToString("G", CultureInfo.InvariantCulture);
        return Origin switch
        {
            InputOrigin.Unavailable => $"unavailable ({Source})",
            InputOrigin.User => $"{value} {Unit} (set by the user)",
            InputOrigin.Measured => $"{value} {Unit} (measured: {Source})",
            InputOrigin.Derived => $"{value} {Unit} (derived: {Source})",
            _ => $"{value} {Unit} ({Source}, as of {AsOf})",
        };
    }
}
