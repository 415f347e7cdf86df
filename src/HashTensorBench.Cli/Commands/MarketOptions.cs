using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HashTensorBench.Economics;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// The market inputs of <c>htb compare</c>, as flags and as keys of a JSON config file (same names);
/// a flag overrides the file, the file overrides the dated defaults.
/// </summary>
internal static class MarketOptions
{
    public sealed record Entry(string Key, string Unit, Option<double?> Option, Func<MarketInputs, MarketInput, MarketInputs> Apply);

    public static IReadOnlyList<Entry> All { get; } =
    [
        Make("btc-price", "USD", "Bitcoin's price in USD.", (m, v) => m with { BtcPrice = v }),
        Make("difficulty", "", "Network difficulty (a block takes difficulty × 2^32 hashes on average).", (m, v) => m with { Difficulty = v }),
        Make("subsidy", "BTC", "Block subsidy in BTC.", (m, v) => m with { BlockSubsidy = v }),
        Make("fees", "BTC", "Average fees per block in BTC.", (m, v) => m with { FeesPerBlock = v }),
        Make("pool-fee", "fraction", "The pool's fee as a fraction (0.02 for 2%).", (m, v) => m with { PoolFee = v }),
        Make("electricity", "USD/kWh", "Electricity price in USD per kWh.", (m, v) => m with { ElectricityPrice = v }),
        Make("gpu-rent", "USD/h", $"What one GPU rents for per hour. Default: a typical price for the GPU's model ({MarketReferences.GpuRentalSummary}).", (m, v) => m with { GpuRentalPerHour = v }),
        Make("pflop-hour-price", "USD per PFLOP/s-hour", "What 1 PFLOP/s for an hour sells for, for devices priced by compute.", (m, v) => m with { PflopHourPrice = v }),
    ];

    public static MarketInputs Read(ParseResult result, FileInfo? config, MarketDefaults? defaults = null)
    {
        var inputs = MarketInputs.From(defaults);
        if (config is not null)
            inputs = ReadConfig(inputs, config);
        foreach (var entry in All)
        {
            if (result.GetValue(entry.Option) is double value)
                inputs = entry.Apply(inputs, MarketInput.FromUser(value, entry.Unit));
        }
        return inputs;
    }

    private static MarketInputs ReadConfig(MarketInputs inputs, FileInfo config)
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
                throw new ArgumentException($"--config: {config.Name} must hold one JSON object, such as {{\"btc-price\": 95000}}.");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var entry = All.FirstOrDefault(e => e.Key == property.Name)
                    ?? throw new ArgumentException($"--config: unknown key \"{property.Name}\" in {config.Name}; expected {string.Join(", ", All.Select(e => e.Key))}.");
                if (property.Value.ValueKind != JsonValueKind.Number)
                    throw new ArgumentException($"--config: \"{property.Name}\" in {config.Name} must be a number.");
                inputs = entry.Apply(inputs, MarketInput.FromUser(property.Value.GetDouble(), entry.Unit));
            }
        }
        return inputs;
    }

    private static Entry Make(string key, string unit, string description, Func<MarketInputs, MarketInput, MarketInputs> apply) =>
        new(key, unit, Number(key, key == "gpu-rent" ? description : $"{description} {DefaultText(key)}"), apply);

    /// <summary>The built-in default of <paramref name="key"/> for --help: value, unit, date and source.</summary>
    internal static string DefaultText(string key)
    {
        var input = MarketDefaults.Builtin.Get(key);
        string value = key == "difficulty" ? $"{input.Value / 1e12:G5} T" : input.Value.ToString("G6", CultureInfo.InvariantCulture);
        string unit = input.Unit.Length == 0 || input.Unit == "fraction" ? "" : " " + input.Unit;
        string date = input.AsOf.Any(char.IsDigit) ? $", as of {input.AsOf}" : $", {input.AsOf}";
        return $"Default: {value}{unit}{date} ({input.Source}).";
    }

    /// <summary>A flag <c>--key</c> taking a finite number of at least 0, with a one-line message otherwise.</summary>
    public static Option<double?> Number(string key, string description)
    {
        return new Option<double?>("--" + key)
        {
            Description = description,
            CustomParser = result =>
            {
                string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && value >= 0)
                    return value;
                result.AddError($"--{key} must be a number of at least 0; got \"{text}\".");
                return null;
            },
        };
    }
}
