using System.Text.RegularExpressions;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Toolchains.CsProj;
using HashTensorBench.Benchmarks.Hashing;
using HashTensorBench.Tests.TestData;

namespace HashTensorBench.Tests.Benchmarks;

/// <summary>
/// README's <c>dotnet run --project bench/HashTensorBench.Benchmarks</c> builds each benchmark through BenchmarkDotNet's
/// default toolchain, which looks the project up by its assembly's name; an <c>AssemblyName</c> that differs from the
/// project's file name ran 0 benchmarks. The whole command with <c>--job dry</c> takes over a minute and a half on 2 cores (BenchmarkDotNet
/// builds its own copy of the project without the compiler server), so this runs the lookup alone, in process.
/// </summary>
public sealed class BenchmarkProjectTests
{
    [Fact]
    public void BenchmarkDotNet_finds_the_project_that_readmes_benchmark_command_runs()
    {
        string readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var commands = Regex.Matches(readme, @"^dotnet run -c Release --project (bench/\S+) -- ", RegexOptions.Multiline);
        Assert.NotEmpty(commands);

        var project = new ProjectLookup().Find(typeof(Sha256dSearchBenchmarks));

        foreach (Match command in commands)
            Assert.Equal(Path.GetFullPath(Path.Combine(Repository.Root, command.Groups[1].Value)), project.DirectoryName);
    }

    // GetProjectFilePath is the lookup that the default toolchain's generator makes before every build.
    private sealed class ProjectLookup() : CsProjGenerator("net10.0", cliPath: "", packagesPath: "", runtimeFrameworkVersion: "")
    {
        public FileInfo Find(Type benchmark) => GetProjectFilePath(benchmark, NullLogger.Instance);
    }
}
