using System.Globalization;

namespace HashTensorBench.Economics;

/// <summary>One input of the pricing, with where it came from: a dated published default, or the user.</summary>
/// <param name="Value">The value, in <paramref name="Unit"/>.</param>
/// <param name="Unit">Such as <c>USD</c>, <c>USD/kWh</c>, <c>BTC</c>.</param>
/// <param name="AsOf">The date the value refers to, such as <c>2026-06-26</c>; <c>now</c> for a user's value.</param>
/// <param name="Source">Where it was published, or <c>user</c>.</param>
public sealed record MarketInput(double Value, string Unit, string AsOf, string Source)
{
    /// <summary>A value the user set on the command line or in a config file.</summary>
    public static MarketInput FromUser(double value, string unit) => new(value, unit, "as given", "user");

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Value:G} {Unit} ({(Source == "user" ? "set by the user" : $"{Source}, as of {AsOf}")})");
}
