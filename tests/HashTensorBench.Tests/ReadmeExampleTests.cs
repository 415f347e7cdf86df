using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using HashTensorBench.Tests.Mining.Stratum;
using HashTensorBench.Tests.TestData;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HashTensorBench.Tests;

/// <summary>Console output is swapped while an example runs, so nothing else may run beside it.</summary>
[CollectionDefinition(nameof(ReadmeExampleCollection), DisableParallelization = true)]
public sealed class ReadmeExampleCollection;

/// <summary>
/// Every C# block of README.md, compiled as a program and run; where a <c>Console.WriteLine</c> line ends in a comment,
/// the comment is what it must print (a trailing "…" leaves the rest open).
/// </summary>
[Collection(nameof(ReadmeExampleCollection))]
public partial class ReadmeExampleTests
{
    // The mining example names a pool on the internet and mines for minutes; here it mines the test pool, briefly.
    private const string ReadmePool = "stratum+tcp://pool.example:3333";
    private const string ReadmeDuration = "TimeSpan.FromMinutes(10)";

    // The SDK's implicit usings for a console program, which a reader's project has.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public static TheoryData<int> Blocks => [.. Enumerable.Range(0, CSharpBlocks().Count)];

    [Theory]
    [MemberData(nameof(Blocks))]
    public async Task The_readme_csharp_block_compiles_runs_and_prints_what_it_says(int index)
    {
        string code = CSharpBlocks()[index];
        StratumTestPool? pool = null;
        if (code.Contains(ReadmePool, StringComparison.Ordinal))
        {
            Assert.Contains(ReadmeDuration, code, StringComparison.Ordinal);
            pool = new StratumTestPool(difficulty: 1.0 / (1 << 12));
            code = code.Replace(ReadmePool, pool.Url.ToString(), StringComparison.Ordinal)
                .Replace(ReadmeDuration, "TimeSpan.FromSeconds(2)", StringComparison.Ordinal);
        }
        try
        {
            string printed = await RunAsync(code);
            string[] lines = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string[] expected = [.. code.Split('\n').Select(l => PrintComment().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value.Trim())];
            if (expected.Length > 0)
            {
                Assert.Equal(expected.Length, lines.Length);
                foreach (var (want, got) in expected.Zip(lines))
                {
                    if (want.EndsWith('…'))
                        Assert.StartsWith(want[..^1], got, StringComparison.Ordinal);
                    else
                        Assert.Equal(want, got);
                }
            }
            if (pool is not null)
            {
                Assert.Empty(pool.Problems);
                Assert.True(pool.Valid > 0, $"the example submitted no valid share; it printed:\n{printed}");
                Assert.Contains(" GH/s, effective ", printed, StringComparison.Ordinal);
            }
        }
        finally
        {
            if (pool is not null)
                await pool.DisposeAsync();
        }
    }

    // Compiles the block as a top-level program against what the tests load, runs it, and returns its standard output.
    private static async Task<string> RunAsync(string code)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        // A reader's .NET 10 SDK compiles C# 14, whose first-class spans let `gemm.Multiply(shape, a, b, c)` infer its
        // element type from arrays; the Roslyn that BenchmarkDotNet brings here (4.14) has C# 14 as its preview.
        var language = new CSharpParseOptions(LanguageVersion.Preview);
        var compilation = CSharpCompilation.Create("ReadmeExample",
            [CSharpSyntaxTree.ParseText(code, language), CSharpSyntaxTree.ParseText(ImplicitUsings, language)],
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join('\n', emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var context = new AssemblyLoadContext("ReadmeExample", isCollectible: true);
        TextWriter output = Console.Out, error = Console.Error;
        var printed = new StringWriter();
        try
        {
            image.Position = 0;
            MethodInfo main = context.LoadFromStream(image).EntryPoint!;
            Console.SetOut(printed);
            Console.SetError(TextWriter.Null);
            object? returned = main.Invoke(null, main.GetParameters().Length == 0 ? [] : [Array.Empty<string>()]);
            if (returned is Task task)
                await task;
        }
        finally
        {
            Console.SetOut(output);
            Console.SetError(error);
            context.Unload();
        }
        return printed.ToString();
    }

    private static List<string> CSharpBlocks()
    {
        string readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md")).ReplaceLineEndings("\n");
        return [.. CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex(@"^```csharp\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    // Console.WriteLine(…);   // what it prints
    [GeneratedRegex(@"Console\.WriteLine\(.*\);\s*//(.*)$")]
    private static partial Regex PrintComment();
}
