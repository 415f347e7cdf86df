using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using HashTensorBench.Cli.Commands;
using HashTensorBench.Economics;
using HashTensorBench.Economics.Refresh;
using HashTensorBench.Mining.Stratum;
using HashTensorBench.Platform.Cuda;

namespace HashTensorBench.Cli;

/// <summary>
/// The <c>htb</c> command: parses, calls the library, prints. Every failure becomes one line on standard
/// error and a non-zero exit code; a stack trace reaching the user is a bug.
/// </summary>
public static class HtbApp
{
    /// <summary>Exit code for bad input: a parse error or a value the library rejects.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code for a device that is missing or failed (a GPU, its driver).</summary>
    public const int DeviceError = 3;

    /// <summary>Exit code for a network source that failed or answered implausibly (<c>market refresh</c>).</summary>
    public const int NetworkError = 4;

    /// <summary>Exit code for a run stopped by Ctrl+C.</summary>
    public const int Cancelled = 130;

    /// <summary>Exit code for a failure that is not the input's fault (a bug, or the machine).</summary>
    public const int InternalError = 70;

    /// <summary>Runs the command line <paramref name="args"/>, writing to the given streams; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, error, TimeProvider.System, cancellationToken);

    /// <summary>Runs the command line with <paramref name="clock"/> as the time (the age of the defaults is counted from it).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider clock, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, error, clock, MarketRefresh.DefaultPath(), cancellationToken);

    /// <summary>Runs the command line with <paramref name="marketFile"/> as the refreshed defaults' place (tests keep it out of the user's).</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider clock, string marketFile, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("HashTensorBench: sha256d nonce search and matrix multiply on CPUs and GPUs, measured and priced.")
        {
            HashCommand.Create(output),
            SearchCommand.Create(output, error),
            DevicesCommand.Create(output),
            KernelsCommand.Create(output),
            HashRateCommand.Create(output, error),
            VerifyCommand.Create(output),
            GemmCommand.Create(output, error),
            CompareCommand.Create(output, error, clock, marketFile),
            BenchCommand.Create(output, error),
            SiteCommand.Create(output, clock, marketFile),
            MarketCommand.Create(output, clock, marketFile),
            MineCommand.Create(output, error, clock),
        };
        // The option's own action prints the entry assembly's version (a test host's, in process): htb's is the package's.
        foreach (var option in root.Options.OfType<VersionOption>())
            option.Action = new PrintVersion(output);
        ParseResult? parsed = null;
        try
        {
            parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (var parseError in parsed.Errors)
                    error.WriteLine($"htb: {parseError.Message}");
                error.WriteLine("Run 'htb --help' for usage.");
                return UsageError;
            }
            var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("htb: cancelled.");
            return Cancelled;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or NotSupportedException or StratumException)
        {
            error.WriteLine($"htb: {MessageOf(ex, parsed?.CommandResult.Command)}");
            return UsageError;
        }
        catch (MarketRefreshException ex)
        {
            error.WriteLine($"htb: {MessageOf(ex)}");
            return NetworkError;
        }
        catch (GpuException ex)
        {
            error.WriteLine($"htb: {MessageOf(ex)}");
            return DeviceError;
        }
        catch (Exception ex)
        {
            error.WriteLine($"htb: unexpected {ex.GetType().Name}: {MessageOf(ex)}");
            return InternalError;
        }
    }

    /// <summary>htb's version as its package has it (0.1.0), without the commit that the informational version appends.</summary>
    public static string Version
    {
        get
        {
            string? version = typeof(HtbApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            return version is null ? "unknown" : version.Split('+')[0];
        }
    }

    private sealed class PrintVersion(TextWriter output) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            output.WriteLine(Version);
            return 0;
        }
    }

    // ArgumentException appends " (Parameter 'name')", which means nothing on a command line; where the parameter is a
    // market or site input, or an option of the command run, its flag says which one instead: the library names what is
    // wrong by its key, never by a flag.
    private static string MessageOf(Exception ex, Command? command = null)
    {
        string message = ex.Message;
        if (ex is ArgumentException { ParamName: { } name })
        {
            string suffix = $" (Parameter '{name}')";
            int at = message.IndexOf(suffix, StringComparison.Ordinal);
            if (at >= 0)
                message = message.Remove(at, suffix.Length);
            if (Input.Find(name) is not null || command?.Options.Any(o => o.Name == "--" + name) == true)
                message = $"--{name}: {message}";
        }
        return message.ReplaceLineEndings(" ");
    }
}
