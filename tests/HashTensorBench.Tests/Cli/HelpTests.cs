namespace HashTensorBench.Tests.Cli;

public class HelpTests
{
    public static TheoryData<string> Commands => ["hash", "search", "devices", "kernels", "hashrate", "verify", "gemm", "compare", "site", "mine"];

    [Theory]
    [MemberData(nameof(Commands))]
    public void No_option_is_both_required_and_defaulted(string command)
    {
        var run = CliRun.Of(command, "--help");
        Assert.Equal(0, run.ExitCode);
        // Each option's entry starts on a line of its own with "  -"; a wrapped description stays in its entry.
        foreach (string entry in run.Output.Split("\n  -").Skip(1))
            Assert.False(entry.Contains("(REQUIRED)", StringComparison.Ordinal) && entry.Contains("[default:", StringComparison.Ordinal), entry);
    }

    [Theory]
    [InlineData("compare")]
    [InlineData("site")]
    public void Defaults_help_names_the_folder_that_really_holds_the_copy(string command)
    {
        // After dotnet tool install --tool-path the copy is in the tool's store, not beside the htb launcher.
        string copy = Path.Combine(AppContext.BaseDirectory, HashTensorBench.Economics.MarketDefaults.FileName);
        Assert.True(File.Exists(copy), copy);
        string help = string.Join(" ", CliRun.Of(command, "--help").Output.Split('\n').Select(l => l.Trim()));
        Assert.Contains($"(a copy to edit: {copy})", help);
    }
}
