using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HashTensorBench.Economics;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// The flags of the market and site inputs, made from their declarations (<see cref="Input"/>): one
/// <c>--key</c> per input a command takes, checked against the input's bounds, with its default and source in
/// <c>--help</c>; and the same keys in a JSON config file. A flag overrides the file, the file the dated defaults.
/// </summary>
internal sealed class InputOptions
{
    private readonly (InputDefinition Input, Option<double?> Option)[] _options;

    private InputOptions(InputUse use) =>
        _options = [.. Input.For(use).Select(d => (d, Number(d, $"{d.Help} {DefaultText(d, use)}")))];

    /// <summary>The flags of every input <paramref name="use"/> takes.</summary>
    public static InputOptions For(InputUse use) => new(use);

    /// <summary>Adds every flag to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var (_, option) in _options)
            command.Options.Add(option);
    }

    /// <summary>Whether the user gave <paramref name="input"/>'s flag.</summary>
    public bool Given(ParseResult result, InputDefinition input) => result.GetValue(Option(input)) is not null;

    /// <summary><paramref name="inputs"/> with every value the user gave as a flag.</summary>
    public MarketInputs Apply(ParseResult result, MarketInputs inputs)
    {
        foreach (var (input, option) in _options)
        {
            if (result.GetValue(option) is double value)
                inputs = inputs.With(input, value);
        }
        return inputs;
    }

    /// <summary><paramref name="inputs"/> with every value of the JSON object in <paramref name="config"/> (the flags' keys).</summary>
    public MarketInputs ApplyConfig(MarketInputs inputs, FileInfo config)
    {
        if (Directory.Exists(config.FullName))
            throw new ArgumentException($"--config: {config.FullName} is a folder, not a file; give a JSON file such as inputs.json.");
        if (!config.Exists)
            throw new ArgumentException($"--config: {config.FullName} does not exist.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(config.FullName));
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"--config: {config.Name} is not valid JSON: {ex.Message}", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ArgumentException($"--config: {config.Name} must hold one JSON object, such as {{\"{Input.BtcPrice.Key}\": 95000}}.");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var input = _options.Select(o => o.Input).FirstOrDefault(d => d.Key == property.Name)
                    ?? throw new ArgumentException($"--config: unknown key \"{property.Name}\" in {config.Name}; expected {string.Join(", ", _options.Select(o => o.Input.Key))}.");
                if (property.Value.ValueKind != JsonValueKind.Number)
                    throw new ArgumentException($"--config: \"{property.Name}\" in {config.Name} must be a number.");
                double value = property.Value.GetDouble();
                if (input.Check(value) is { } error)
                    throw new ArgumentException($"--config: \"{property.Name}\" in {config.Name}: {error}.");
                inputs = inputs.With(input, value);
            }
        }
        return inputs;
    }

    private Option<double?> Option(InputDefinition input) => _options.Single(o => o.Input == input).Option;

    /// <summary>The built-in default of <paramref name="input"/> for --help: value, unit, date and source.</summary>
    private static string DefaultText(InputDefinition input, InputUse use)
    {
        if (input.Optional)
            return "";
        if ((input.Use & use) == InputUse.CompareByDevice)
            return $"Default: a typical price for the GPU's model ({MarketReferences.GpuRentalSummary}).";
        var value = MarketDefaults.Builtin.Get(input);
        if (!value.HasValue)
            return $"Default: none ({value.Source}).";
        string number = input == Input.Difficulty ? $"{value.Value / 1e12:G5} T" : value.Value.ToString("G6", CultureInfo.InvariantCulture);
        string unit = value.Unit.Length == 0 || value.Unit == "fraction" ? "" : " " + value.Unit;
        // "as of" a date ("2026-06-26", "2025–2026"); a phrase ("since block 840,000 …", "week to …") reads on its own.
        string date = value.AsOf.Length > 0 && char.IsDigit(value.AsOf[0]) ? $", as of {value.AsOf}" : $", {value.AsOf}";
        return $"Default: {number}{unit}{date} ({value.Source}).";
    }

    /// <summary>A flag <c>--key</c> taking a number within the input's bounds, with a one-line message otherwise.</summary>
    private static Option<double?> Number(InputDefinition input, string description) => new("--" + input.Key)
    {
        Description = description.TrimEnd(),
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                result.AddError($"--{input.Key} must be a number; got \"{text}\".");
                return null;
            }
            if (input.Check(value) is { } error)
            {
                result.AddError($"--{input.Key}: {error}.");
                return null;
            }
            return value;
        },
    };
}
