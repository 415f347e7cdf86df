using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using HashTensorBench.Bitcoin;
using HashTensorBench.Devices;
using HashTensorBench.Economics;
using Spectre.Console;

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

    /// <summary>
    /// <c>--threads</c>: CPU threads, at most one per logical processor here (more only queue behind each other and
    /// measure the scheduler).
    /// </summary>
    public static Option<long> Threads() => Integer("--threads",
        $"CPU threads, for --device cpu only (default and most: one per logical processor, {Environment.ProcessorCount} here).",
        1, Environment.ProcessorCount, defaultValue: Environment.ProcessorCount);

    /// <summary>Refuses <c>--threads</c> given for a device other than <c>cpu</c>, which would ignore it.</summary>
    public static void CheckThreadsOnCpu(CommandResult result, Option<long> threads, Option<DeviceId> device)
    {
        if (result.GetResult(threads) is { Implicit: false } && result.GetValue(device) is { Kind: not DeviceKind.Cpu } other)
            result.AddError($"--threads applies to --device cpu only; {other} sets its own parallelism.");
    }

    /// <summary>
    /// <c>--device</c>, parsed once into a <see cref="DeviceId"/> (case-insensitive; <c>gpu</c> is every CUDA device,
    /// else the CPU), with one message listing the names when it is none. Without a default it is required: help
    /// then shows one or the other, never both.
    /// </summary>
    public static Option<DeviceId> Device(string description, DeviceId? defaultValue)
    {
        var option = new Option<DeviceId>("--device")
        {
            Description = $"{description} One of: {DeviceId.Names}.",
            Required = defaultValue is null,
            CustomParser = result =>
            {
                string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (DeviceId.TryParse(text, out var id))
                    return id;
                result.AddError($"--device: Unknown device \"{Quote(text)}\"; expected {DeviceId.Names}.");
                return default;
            },
        };
        if (defaultValue is { } value)
            option.DefaultValueFactory = _ => value;
        return option;
    }

    /// <summary>
    /// A Spectre console on <paramref name="output"/>: colours and the terminal's width on a terminal; otherwise
    /// (a pipe, a file, a test's writer) plain text that is never wrapped, so that a path or a verdict stays on one
    /// line for grep and scripts (Spectre would otherwise wrap at 80 columns).
    /// </summary>
    public static IAnsiConsole Console(TextWriter output)
    {
        bool terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal)
            console.Profile.Width = UnwrappedWidth;
        return console;
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a progress bar on a terminal (as <c>compare</c> shows one), and silently when
    /// the output is piped, redirected, a test's writer, or JSON. The work reports a fraction from 0 to 1, or nothing
    /// (the bar then runs as a spinner until the work ends).
    /// </summary>
    public static T WithProgress<T>(TextWriter output, bool json, string description, Func<IProgress<double>, T> work)
    {
        bool terminal = !json && ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected
            && AnsiConsole.Profile.Capabilities.Interactive;
        if (!terminal)
            return work(new Progress<double>(_ => { }));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: 1);
                task.IsIndeterminate = true;
                result = work(new Progress<double>(value =>
                {
                    task.IsIndeterminate = false;
                    task.Value = Math.Clamp(value, 0, 1);
                }));
                task.Value = 1;
                task.StopTask();
            });
        return result;
    }

    /// <summary>The width of output that is not a terminal: wider than any line htb writes.</summary>
    internal const int UnwrappedWidth = 32_767;

    /// <summary>Refuses an empty folder name (<c>--output ""</c>), which names no folder at all.</summary>
    public static void CheckFolderNamed(OptionResult result)
    {
        if (result.Tokens.Count == 1 && string.IsNullOrWhiteSpace(result.Tokens[0].Value))
            result.AddError($"{result.Option.Name}: name a folder; got \"{result.Tokens[0].Value}\".");
    }

    /// <summary>
    /// <c>--defaults</c>: a defaults file instead of the built-in one. The copy to edit lies beside htb.dll, which after
    /// <c>dotnet tool install --tool-path</c> is in the tool's store, not beside the <c>htb</c> launcher: help names the folder.
    /// </summary>
    public static Option<FileInfo?> Defaults() => new("--defaults")
    {
        Description = $"A defaults file to use instead of the built-in {MarketDefaults.FileName} (a copy to edit: {Path.Combine(AppContext.BaseDirectory, MarketDefaults.FileName)}).",
    };

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
