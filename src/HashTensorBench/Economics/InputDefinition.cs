using System.Globalization;

namespace HashTensorBench.Economics;

/// <summary>Which command takes an input as a flag.</summary>
[Flags]
public enum InputUse
{
    /// <summary><c>htb site</c>: the per-MW decision over the machines' lives.</summary>
    Site = 1,

    /// <summary><c>htb compare</c>, with the defaults file's value as its default.</summary>
    Compare = 2,

    /// <summary><c>htb compare</c>, with no common default: each device takes its own (its model's rent) unless the user sets one.</summary>
    CompareByDevice = 4,
}

/// <summary>
/// One market or site input, declared once in <see cref="Input"/>: its key (the flag's name and the defaults
/// file's), unit, label, bounds and help. The flags, the validation, the reports' echo and <c>--help</c> are
/// made from it, so adding an input is one line there and its entry in <c>market-defaults.json</c>.
/// </summary>
public sealed class InputDefinition
{
    /// <summary>The key: <c>btc-price</c> is <c>--btc-price</c> on the command line and <c>"btc-price"</c> in the defaults file.</summary>
    public required string Key { get; init; }

    /// <summary>What the reports call it, such as <c>BTC price</c>.</summary>
    public required string Label { get; init; }

    /// <summary>The unit of its value, such as <c>USD</c> or <c>fraction</c>; empty for a pure number.</summary>
    public required string Unit { get; init; }

    /// <summary>One sentence for <c>--help</c>; the default and its source are added to it.</summary>
    public required string Help { get; init; }

    /// <summary>The commands that take it.</summary>
    public InputUse Use { get; init; } = InputUse.Site;

    /// <summary>The smallest value allowed (see <see cref="MinExclusive"/>).</summary>
    public double Min { get; init; }

    /// <summary>True when <see cref="Min"/> itself is not allowed.</summary>
    public bool MinExclusive { get; init; }

    /// <summary>The largest value allowed (see <see cref="MaxExclusive"/>).</summary>
    public double Max { get; init; } = double.PositiveInfinity;

    /// <summary>True when <see cref="Max"/> itself is not allowed.</summary>
    public bool MaxExclusive { get; init; }

    /// <summary>Why the bounds are what they are, added to the message of a value outside them.</summary>
    public string? Why { get; init; }

    /// <summary>An input with no default: absent unless the user sets it (the defaults file has no entry for it).</summary>
    public bool Optional { get; init; }

    /// <summary>The rule the bounds make, in words: <c>a number from 0 to 1</c>, <c>more than 0</c>, <c>at least 1</c>.</summary>
    public string Rule
    {
        get
        {
            string low = MinExclusive ? $"more than {N(Min)}" : $"at least {N(Min)}";
            string high = MaxExclusive ? $"below {N(Max)}" : $"at most {N(Max)}";
            if (double.IsInfinity(Min) && double.IsInfinity(Max))
                return "a finite number";
            if (double.IsInfinity(Max))
                return low;
            if (double.IsInfinity(Min))
                return high;
            return !MinExclusive && !MaxExclusive ? $"from {N(Min)} to {N(Max)}" : $"{low} and {high}";
        }
    }

    /// <summary>Why <paramref name="value"/> is not allowed, naming the input by its label; null when it is.</summary>
    public string? Check(double value)
    {
        bool ok = double.IsFinite(value)
            && (MinExclusive ? value > Min : value >= Min)
            && (MaxExclusive ? value < Max : value <= Max);
        return ok ? null : $"the {Label} must be {Rule}{(Why is null ? "" : $" ({Why})")}; got {N(value)}";
    }

    /// <summary>The user's value, in this input's unit.</summary>
    public MarketInput FromUser(double value) => MarketInput.FromUser(value, Unit);

    /// <inheritdoc/>
    public override string ToString() => Key;

    private static string N(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
