using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using HashTensorBench.Bitcoin;

namespace HashTensorBench.Cli.Commands;

/// <summary>Options shared by several commands, each parsed and checked into a library type.</summary>
internal static class Options
{
    public static Option<BlockHeader> Header() => new("--header")
    {
        Description = "The 80-byte block header, as 160 hex digits in wire order.",
        Required = true,
        CustomParser = result => Parse(result, text => BlockHeader.Parse(text)),
    };

    /// <summary>Writes one JSON document, built by <paramref name="write"/>, as a line on <paramref name="output"/>.</summary>
    public static void WriteJson(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
            write(writer);
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object on standard output instead of text." };

    /// <summary>A whole number in [min, max], with a message that names the option and the range.</summary>
    public static Option<long> Integer(string name, string description, long min, long max, long? defaultValue = null)
    {
        var option = new Option<long>(name)
        {
            Description = description,
            Required = defaultValue is null,
            CustomParser = result =>
            {
                string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max)
                    return value;
                result.AddError($"{name} must be a whole number from {min} to {max}; got \"{Quote(text)}\".");
                return 0;
            },
        };
        if (defaultValue is long value)
            option.DefaultValueFactory = _ => value;
        return option;
    }

    /// <summary>One of a few lower-case words, with a one-line message that lists them (the parser's own spans lines).</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] values)
    {
        return new Option<string>(name)
        {
            Description = $"{description} One of: {string.Join(", ", values)}.",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                string? match = values.FirstOrDefault(value => value.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase));
                if (match is null)
                    result.AddError($"{name} must be {string.Join(" or ", values)}; got \"{Quote(text)}\".");
                return match ?? defaultValue;
            },
        };
    }

    // A pasted blob stays one readable line.
    private static string Quote(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");

    /// <summary>Runs a library parser; its exception message becomes the parse error.</summary>
    public static T Parse<T>(ArgumentResult result, Func<string, T> parse) where T : struct
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        try
        {
            return parse(text);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            result.AddError($"{((OptionResult)result.Parent!).Option.Name}: {ex.Message}");
            return default;
        }
    }
}
