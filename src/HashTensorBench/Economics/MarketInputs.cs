using System.Collections.Immutable;

namespace HashTensorBench.Economics;

/// <summary>
/// The values of the market and site inputs (<see cref="Input"/>), each with where it came from: the dated defaults
/// (<c>market-defaults.json</c>, from <c>shared/data/economics.md</c>), the user, a measurement or arithmetic.
/// Immutable: <c>With</c> returns a copy. Every report echoes the inputs it used with their dates.
/// </summary>
public sealed class MarketInputs
{
    private readonly ImmutableDictionary<InputDefinition, MarketInput> _values;

    private MarketInputs(ImmutableDictionary<InputDefinition, MarketInput> values) => _values = values;

    /// <summary>The defaults of <paramref name="defaults"/> (the built-in ones when null) for every input but the optional ones.</summary>
    public static MarketInputs From(MarketDefaults? defaults) => new(Load(defaults ?? MarketDefaults.Builtin));

    /// <summary>
    /// What <c>htb compare</c> prices a device with: the defaults of <paramref name="defaults"/> (the built-in ones when null) for
    /// the inputs it takes, without a common GPU rent (each GPU brings its model's unless the user sets one).
    /// </summary>
    public static MarketInputs ForCompare(MarketDefaults? defaults = null) => From(defaults).Only(InputUse.Compare | InputUse.CompareByDevice);

    private static ImmutableDictionary<InputDefinition, MarketInput> Load(MarketDefaults defaults) =>
        Input.All.Where(d => !d.Optional).ToImmutableDictionary(d => d, defaults.Get);

    /// <summary>The value of <paramref name="input"/>.</summary>
    /// <exception cref="KeyNotFoundException">An optional input the user did not set; use <see cref="Find"/>.</exception>
    public MarketInput this[InputDefinition input] => _values.TryGetValue(input, out var value)
        ? value
        : throw new KeyNotFoundException($"The {input.Label} was not given.");

    /// <summary>The value of <paramref name="input"/>, or null when it is absent (an optional input not set).</summary>
    public MarketInput? Find(InputDefinition input) => _values.GetValueOrDefault(input);

    /// <summary>A copy with <paramref name="input"/> set to <paramref name="value"/>.</summary>
    public MarketInputs With(InputDefinition input, MarketInput value)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(value);
        return new(_values.SetItem(input, value));
    }

    /// <summary>A copy with the user's <paramref name="value"/> for <paramref name="input"/>.</summary>
    public MarketInputs With(InputDefinition input, double value) => With(input, input.FromUser(value));

    /// <summary>A copy without <paramref name="input"/>.</summary>
    public MarketInputs Without(InputDefinition input) => new(_values.Remove(input));

    /// <summary>
    /// A copy with only the inputs <paramref name="use"/> takes; one it takes by device (<see cref="InputUse.CompareByDevice"/>)
    /// only where it is not the common default, since each device then brings its own.
    /// </summary>
    public MarketInputs Only(InputUse use) => new(_values.Where(p => (p.Key.Use & use) != 0
        && !((p.Key.Use & use) == InputUse.CompareByDevice && p.Value.Origin == InputOrigin.Default)).ToImmutableDictionary());

    /// <summary>Every input present, in <see cref="Input.All"/>'s order.</summary>
    public IEnumerable<(InputDefinition Input, MarketInput Value)> All() =>
        Input.All.Where(_values.ContainsKey).Select(d => (d, _values[d]));

    /// <summary>Every input <paramref name="use"/> takes that is present, in <see cref="Input.All"/>'s order.</summary>
    public IEnumerable<(InputDefinition Input, MarketInput Value)> All(InputUse use) => All().Where(p => (p.Input.Use & use) != 0);

    /// <summary>Checks every value against its input's bounds, and that <paramref name="required"/> have values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of bounds or missing; the parameter name is the input's key.</exception>
    public MarketInputs Validate(params IEnumerable<InputDefinition> required)
    {
        ArgumentNullException.ThrowIfNull(required);
        foreach (var input in required)
        {
            if (Find(input) is not { HasValue: true })
                ThrowHelper.ThrowArgumentOutOfRange(input.Key, $"The {input.Label} has no value: {Find(input)?.Source ?? "not given"}.");
        }
        foreach (var (input, value) in All())
        {
            if (value.HasValue && input.Check(value.Value) is { } error)
                ThrowHelper.ThrowArgumentOutOfRange(input.Key, char.ToUpperInvariant(error[0]) + error[1..] + ".");
        }
        return this;
    }
}
