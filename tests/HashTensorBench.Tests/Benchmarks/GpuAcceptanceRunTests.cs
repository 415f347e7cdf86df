using System.Text;
using System.Text.Json;
using HashTensorBench.Tests.TestData;

namespace HashTensorBench.Tests.Benchmarks;

/// <summary>
/// What a GPU lease depends on, checked without a GPU: the nvcc anchor compiles, and bench/gpu/accept leaves a
/// valid summary in its output folder after every step, when a step hangs, when the budget runs out and when
/// it is killed half way; and it takes no mistyped option, <c>--help</c> included, for its output folder.
/// </summary>
public sealed class GpuAcceptanceRunTests : IDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(3);
    private static readonly string s_acceptScript = Path.Combine(Repository.Root, "bench", "gpu", "accept");
    private readonly string _dir = Directory.CreateTempSubdirectory("htb-accept-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void The_nvcc_anchor_passes_its_round_code_self_test_as_plain_cpp()
    {
        Skip.IfNot(Repository.OnPath("g++"), "g++ is not on PATH.");
        string binary = Path.Combine(_dir, "sha256d_ref");
        var build = Repository.Run("g++", ["-O2", "-x", "c++", Path.Combine(Repository.Root, "bench", "cuda", "sha256d_ref.cu"), "-o", binary], s_limit);
        Assert.True(build.ExitCode == 0, build.Error);
        var run = Repository.Run(binary, [], s_limit);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("{\"selftest\":\"ok\"}", run.Output.Trim());
    }

    [SkippableFact]
    public void Nvcc_accepts_the_anchors_device_code()
    {
        // g++ cannot see what only nvcc rejects, such as host data read in device code.
        Skip.If(Repository.SharedGpuTools is null, "../shared/gpu (nvcc-ptx) is not beside the repository.");
        string ptx = Path.Combine(_dir, "sha256d_ref.ptx");
        var run = Repository.Run(Path.Combine(Repository.SharedGpuTools!, "nvcc-ptx"),
            [Path.Combine(Repository.Root, "bench", "cuda", "sha256d_ref.cu"), "-o", ptx], TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains(".visible .entry _Z6search", File.ReadAllText(ptx));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_prints_the_options_and_writes_nothing(string help)
    {
        var run = Repository.Run(s_acceptScript, [help], s_limit, workingDirectory: _dir);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("--budget S", run.Output);
        Assert.Contains("--headers F", run.Output);
        Assert.DoesNotContain("\n# ", "\n" + run.Output);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Theory]
    [InlineData("--bogus", "out")]
    [InlineData("--budget")]
    [InlineData("out", "--budget", "30")]
    [InlineData]
    public void Wrong_arguments_are_refused_before_any_output_folder_is_made(params string[] arguments)
    {
        var run = Repository.Run(s_acceptScript, arguments, s_limit, workingDirectory: _dir);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("usage: bench/gpu/accept", run.Error);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [SkippableFact]
    public void A_hanging_step_is_cut_at_the_budget_and_the_summary_says_what_ran()
    {
        Skip.IfNot(Repository.OnPath("python3"), "python3 is not on PATH.");
        // After --, a folder whose name starts with a dash is OUTDIR, not an option.
        string outDir = Path.Combine(_dir, "-out");
        // 50 s: the steps before verify take ~10 s on an idle machine and more on a loaded one; verify must still start.
        var run = Accept(FakeHtb(verifySeconds: 120), "-out", budgetSeconds: 50);

        Assert.True(run.ExitCode == 2, run.Error); // no CUDA device here
        Assert.Equal(["log.txt", "raw.tgz", "results.json", "results.md"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var steps = json.RootElement.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("step").GetString()!);
        Assert.Equal("ok", steps["htb devices"].GetProperty("status").GetString());
        // The hanging step was stopped inside the budget, and its stderr (a tab, a cut UTF-8 sequence) survived.
        var verify = steps["ilgpu-cpu verify"];
        Assert.Equal("timeout", verify.GetProperty("status").GetString());
        Assert.Contains("tab here", verify.GetProperty("stderr_tail").GetString());
        Assert.Equal("needs a GPU", steps["cuda:N hashrate"].GetProperty("status").GetString());
        Assert.Equal("skipped", steps["ptx"].GetProperty("status").GetString());
        Assert.True(json.RootElement.GetProperty("complete").GetBoolean());
        Assert.Contains("| ilgpu-cpu verify | timeout |", File.ReadAllText(Path.Combine(outDir, "results.md")));
    }

    [SkippableFact]
    public void A_run_killed_half_way_has_already_written_a_valid_partial_summary()
    {
        Skip.IfNot(Repository.OnPath("python3"), "python3 is not on PATH.");
        string outDir = Path.Combine(_dir, "out");
        string htb = FakeHtb(verifySeconds: 120);
        var info = new System.Diagnostics.ProcessStartInfo(s_acceptScript)
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        info.ArgumentList.Add(outDir);
        info.Environment["HTB"] = htb;
        info.Environment["TMPDIR"] = _dir;
        using var process = System.Diagnostics.Process.Start(info)!;
        var error = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (error) error.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow + s_limit;
        while (!Contains(error, "ilgpu-cpu verify (limit") && DateTime.UtcNow < deadline && !process.HasExited)
            Thread.Sleep(100);
        Assert.False(process.HasExited, error.ToString());
        // What a lease's end does: every process of the run killed at once, no chance to clean up.
        process.Kill(entireProcessTree: true);
        process.WaitForExit();

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.False(json.RootElement.GetProperty("complete").GetBoolean());
        Assert.Contains(json.RootElement.GetProperty("steps").EnumerateArray(),
            s => s.GetProperty("step").GetString() == "htb devices" && s.GetProperty("status").GetString() == "ok");
        Assert.StartsWith("# GPU acceptance run\n\n**Partial", File.ReadAllText(Path.Combine(outDir, "results.md")));
        Assert.True(new FileInfo(Path.Combine(outDir, "raw.tgz")).Length > 0);
    }

    private static bool Contains(StringBuilder text, string fragment)
    {
        lock (text)
            return text.ToString().Contains(fragment, StringComparison.Ordinal);
    }

    // OUTDIR relative to the test's own folder.
    private ProcessRun Accept(string htb, string outDir, int budgetSeconds) =>
        Repository.Run(s_acceptScript, ["--budget", budgetSeconds.ToString(), "--", outDir], s_limit,
            new Dictionary<string, string> { ["HTB"] = htb, ["TMPDIR"] = _dir }, workingDirectory: _dir);

    // A stand-in htb: the machine has no CUDA device, and verify hangs after writing awkward stderr.
    private string FakeHtb(int verifySeconds)
    {
        string path = Path.Combine(_dir, "htb");
        File.WriteAllText(path, $$"""
            #!/usr/bin/env bash
            case "$1" in
              devices) echo "cpu     test CPU"; echo "cuda    none: no NVIDIA driver (test)" ;;
              verify) printf 'tab\there \xe2\x82 cut\n' >&2; exec sleep {{verifySeconds}} ;;
              *) echo '{}' ;;
            esac
            """.Replace("\r", ""));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
