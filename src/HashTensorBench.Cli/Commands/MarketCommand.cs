using System.CommandLine;
using HashTensorBench.Economics.Refresh;

namespace HashTensorBench.Cli.Commands;

/// <summary>
/// <c>htb market refresh</c>: today's BTC price, difficulty, fees and block height from a mempool-compatible API, written
/// as a defaults file that <c>compare</c> and <c>site</c> use while it is newer than their built-in defaults.
/// </summary>
internal static class MarketCommand
{
    /// <param name="output">Where it prints.</param>
    /// <param name="clock">The time the figures are dated by.</param>
    /// <param name="marketFile">The refreshed file's place unless <c>--output</c> names another (the one compare and site look at).</param>
    public static Command Create(TextWriter output, TimeProvider clock, string marketFile)
    {
        var file = new Option<string?>("--output") { Description = $"The defaults file to write (default: {marketFile}, where compare and site look)." };
        var url = new Option<string>("--mempool-url")
        {
            Description = "A mempool-compatible API: the public one, or your own mempool (its mining routes need indexing on).",
            DefaultValueFactory = _ => MempoolClient.DefaultBaseUrl.AbsoluteUri,
        };
        var refresh = new Command("refresh", $"Read today's {string.Join(", ", MarketRefresh.Inputs.Select(i => i.Key))} from a mempool API and write them as a defaults file.") { file, url };
        refresh.SetAction(async (result, cancellationToken) =>
        {
            string path = result.GetValue(file) ?? marketFile;
            using var client = new MempoolClient(result.GetValue(url)!) { Clock = clock };
            var snapshot = await MarketRefresh.RunAsync(client, path, cancellationToken).ConfigureAwait(false);
            foreach (string line in snapshot.Lines())
                output.WriteLine(line);
            output.WriteLine($"wrote {Path.GetFullPath(path)}: {string.Join(", ", MarketRefresh.Inputs.Select(i => i.Key))} refreshed; every other input is the built-in default with its own date");
            return 0;
        });
        return new Command("market", "Market inputs: refresh them from the network.") { refresh };
    }
}
