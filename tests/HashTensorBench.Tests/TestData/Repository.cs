using System.Diagnostics;

namespace HashTensorBench.Tests.TestData;

/// <summary>The repository the tests were built from, and its scripts run as a user would run them.</summary>
public static class Repository
{
    /// <summary>The folder that holds <c>HashTensorBench.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary><c>../shared/gpu</c> beside the repository, where this project's machines have it; null elsewhere.</summary>
    public static string? SharedGpuTools =>
        Directory.Exists(Path.Combine(Root, "..", "shared", "gpu")) ? Path.GetFullPath(Path.Combine(Root, "..", "shared", "gpu")) : null;

    /// <summary>Whether <paramref name="program"/> is on PATH.</summary>
    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));

    /// <summary>Runs a program to its end (or kills it after <paramref name="timeout"/>) and returns what it printed.</summary>
    public static ProcessRun Run(string program, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory ?? Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new ProcessRun(-1, output.Result, error.Result + $"\n(killed after {timeout.TotalSeconds:F0} s)");
        }
        return new ProcessRun(process.ExitCode, output.Result, error.Result);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HashTensorBench.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("HashTensorBench.sln not found above the test binaries.");
    }
}

/// <summary>A finished process: its exit code (−1 when killed) and what it printed.</summary>
public sealed record ProcessRun(int ExitCode, string Output, string Error);
