using HashTensorBench.Cli;

namespace HashTensorBench.Tests.Cli;

/// <summary>Runs <c>htb</c> in-process and captures what a user would see.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Of(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = HtbApp.RunAsync(args, output, error).GetAwaiter().GetResult();
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Asserts a clean refusal: non-zero exit, nothing on stdout, a short message and no stack trace.</summary>
    public void AssertUsageError(string expectedFragment)
    {
        Assert.Equal(HtbApp.UsageError, ExitCode);
        Assert.Equal("", Output);
        Assert.StartsWith("htb: ", Error);
        Assert.Contains(expectedFragment, Error);
        Assert.DoesNotContain("   at ", Error);
        Assert.True(Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length <= 3, Error);
    }
}
