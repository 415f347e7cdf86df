using System.CommandLine;

namespace HashTensorBench.Cli.Commands;

/// <summary><c>htb hash --header HEX</c>: prints the header's block hash in display order.</summary>
internal static class HashCommand
{
    public static Command Create(TextWriter output)
    {
        var header = Options.Header();
        var command = new Command("hash", "Print a block header's hash (double SHA-256, display order).") { header };
        command.SetAction(result =>
        {
            output.WriteLine(result.GetValue(header).Hash);
            return 0;
        });
        return command;
    }
}
