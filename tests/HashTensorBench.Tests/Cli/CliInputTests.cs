using System.Diagnostics;
using System.Text.Json;
using HashTensorBench.Cli;
using HashTensorBench.Tensors;

namespace HashTensorBench.Tests.Cli;

/// <summary>The command line at its edges: sizes checked before allocating, Ctrl+C, bad input as one line, piped output, help, version.</summary>
public sealed class CliInputTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "htb-cli-input-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    // Ctrl+C as Program.cs delivers it: the token cancelled from another thread after a delay.
    private static async Task<(int Exit, string Output, string Error, TimeSpan Elapsed)> RunCancelledAfter(int milliseconds, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var ctrlC = new Thread(() =>
        {
            Thread.Sleep(milliseconds);
            stop.Cancel();
        });
        long start = Stopwatch.GetTimestamp();
        ctrlC.Start();
        int exit = await HtbApp.RunAsync(args, output, error, stop.Token);
        var elapsed = Stopwatch.GetElapsedTime(start);
        ctrlC.Join();
        return (exit, output.ToString(), error.ToString(), elapsed);
    }

    [SkippableFact]
    public void Gemm_checks_sizes_in_bytes_up_front_against_the_host_memory()
    {
        // 46000³ in FP32: three 7.88 GiB matrices, 23.65 GiB; each has 2.1·10^9 elements, 8.5 GB, past 2^31 bytes.
        var shape = new GemmShape(46_000, 46_000, 46_000);
        long? available = GemmMemory.AvailableHostBytes();
        Skip.If(available is null || available >= GemmMemory.Bytes(shape, GemmElementType.Fp32), "This machine has more than 23.65 GiB available.");
        long start = Stopwatch.GetTimestamp();
        var run = CliRun.Of("gemm", "--m", "46000", "--n", "46000", "--k", "46000", "--dtype", "fp32");
        run.AssertUsageError("A, B and C of 46000x46000x46000 (fp32) need 23.65 GiB (A 7.88 GiB, B 7.88 GiB, C 7.88 GiB); the host RAM available is ");
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(Stopwatch.GetElapsedTime(start) < TimeSpan.FromSeconds(5), "the check must come before anything is allocated");
    }

    [Fact]
    public async Task Gemm_stops_on_the_first_ctrl_c_with_exit_130()
    {
        // A product of about 50 GFLOP: seconds on a small CPU, each of the warm-up and the timed one.
        var (exit, output, error, _) = await RunCancelledAfter(300, "gemm", "--m", "3000", "--n", "3000", "--k", "3000");
        Assert.True(exit == HtbApp.Cancelled, output + error);
        Assert.DoesNotContain("TFLOP/s", output);
        Assert.Contains("htb: cancelled", error);
    }

    [Fact]
    public async Task Verify_stops_on_the_first_ctrl_c_and_prints_the_checks_it_completed()
    {
        // ilgpu-cpu runs the GPU kernels slowly: the checks take seconds.
        var (exit, output, error, _) = await RunCancelledAfter(1500, "verify", "--device", "ilgpu-cpu");
        Assert.True(exit == HtbApp.Cancelled, output + error);
        Assert.Contains("stopped (Ctrl+C) after ", output);
        Assert.DoesNotContain("gemm against a double reference", output);
    }

    [Fact]
    public async Task Verify_json_says_it_was_cancelled()
    {
        var (exit, output, _, _) = await RunCancelledAfter(1500, "verify", "--device", "ilgpu-cpu", "--json");
        Assert.Equal(HtbApp.Cancelled, exit);
        using var json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.GetProperty("cancelled").GetBoolean());
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
    }

    [Theory]
    [InlineData("--threads must be a whole number from 1 to", "gemm", "--m", "4", "--n", "4", "--k", "4", "--threads", "1000")]
    [InlineData("--threads applies to --device cpu only; ilgpu-cpu", "gemm", "--m", "4", "--n", "4", "--k", "4", "--device", "ilgpu-cpu", "--threads", "1")]
    [InlineData("--threads must be a whole number from 1 to", "search", "--header", Genesis, "--bits", "1d00ffff", "--count", "10", "--threads", "1000")]
    [InlineData("--threads applies to --device cpu only; ilgpu-cpu", "search", "--header", Genesis, "--bits", "1d00ffff", "--count", "10", "--device", "ilgpu-cpu", "--threads", "2")]
    [InlineData("--arch: sm_52 has no tensor cores", "kernels", "--ptx", "/tmp/htb-never-written", "--arch", "sm_52")]
    [InlineData("--arch must be sm_ and a compute capability", "kernels", "--ptx", "/tmp/htb-never-written", "--arch", "volta")]
    [InlineData("--isa must be a PTX ISA version", "kernels", "--ptx", "/tmp/htb-never-written", "--isa", "9.9")]
    [InlineData("--config: /tmp is a folder, not a file", "compare", "--quick", "--config", "/tmp")]
    [InlineData("The defaults file /tmp is a folder, not a file", "compare", "--quick", "--defaults", "/tmp")]
    [InlineData("The defaults file /tmp is a folder, not a file", "site", "--defaults", "/tmp")]
    [InlineData("--reports: /tmp is a folder, not a file", "site", "--reports", "/tmp")]
    [InlineData("--headers: /tmp is a folder, not a file", "verify", "--device", "cpu", "--headers", "/tmp")]
    [InlineData("--output: name a folder; got \"\"", "compare", "--quick", "--output", "")]
    [InlineData("--output: name a folder; got \"\"", "site", "--output", "")]
    [InlineData("--ptx: name a folder; got \"\"", "kernels", "--ptx", "")]
    public void Bad_input_is_one_line_and_exit_2(string expected, params string[] args) =>
        CliRun.Of(args).AssertUsageError(expected);

    private const string Genesis = "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";

    [Fact]
    public void Output_over_an_existing_report_folder_is_refused()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "report.json"), "{}");
        CliRun.Of("compare", "--quick", "--output", _folder).AssertUsageError($"--output: {_folder} already holds a report (report.json)");
    }

    [Fact]
    public void Hashrate_takes_threads_on_the_cpu_alone()
    {
        var run = CliRun.Of("hashrate", "--seconds", "1", "--threads", "1", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        Assert.EndsWith(" x1", json.RootElement[0].GetProperty("implementation").GetString());
        CliRun.Of("hashrate", "--seconds", "1", "--threads", "1", "--device", "ilgpu-cpu").AssertUsageError("--threads applies to --device cpu only");
    }

    [Fact]
    public void Hashrate_json_has_no_short_window_flag_when_no_energy_was_measured()
    {
        var run = CliRun.Of("hashrate", "--seconds", "1", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var energy = json.RootElement[0];
        bool measured = energy.GetProperty("joules").GetProperty("source").GetString() == "measured";
        if (measured)
            Assert.True(energy.GetProperty("energy_window_under_10_s").GetBoolean());
        else
            Assert.Equal(JsonValueKind.Null, energy.GetProperty("energy_window_under_10_s").ValueKind);
    }

    [Fact]
    public void Piped_output_is_not_wrapped_at_80_columns()
    {
        // A report path longer than 80 columns stays on one line, as does every verdict.
        string folder = Path.Combine(_folder, new string('x', 60), new string('y', 60));
        var run = CliRun.Of("compare", "--quick", "--devices", "cpu", "--output", folder);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"report: {folder}{Path.DirectorySeparatorChar}report.md (and report.json, report.csv, charts)", run.Output);
        Assert.Contains(run.Output.Split('\n'), line => line.StartsWith("cpu: ", StringComparison.Ordinal) && line.TrimEnd().EndsWith('.'));
    }

    [Fact]
    public void Version_is_the_package_version()
    {
        var run = CliRun.Of("--version");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("0.1.0", run.Output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_help_shows_every_market_input_with_its_default_and_date()
    {
        var run = CliRun.Of("compare", "--help");
        Assert.Equal(0, run.ExitCode);
        string help = string.Join(" ", run.Output.Split('\n').Select(l => l.Trim()));
        foreach (string key in new[] { "btc-price", "difficulty", "subsidy", "fees", "pool-fee", "electricity", "pflop-hour-price" })
        {
            var input = HashTensorBench.Economics.MarketDefaults.Builtin.Get(HashTensorBench.Economics.Input.Find(key)!);
            Assert.Contains($"--{key}", help);
            Assert.Contains(input.AsOf, help);
        }
        Assert.Contains("Default: 133.87 T × 2^32 hashes per block, as of 2026-06-26", help);
        // A phrase that is not a date reads on its own.
        Assert.Contains("Default: 3.125 BTC, since block 840,000", help);
        Assert.DoesNotContain("as of since", help);
        Assert.Contains("H100 SXM 2.65 USD/h (2026-03 to 2026-06)", help);
    }
}
