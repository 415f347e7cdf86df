using System.Runtime.InteropServices;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Tests.TestData;

namespace HashTensorBench.Tests.Hashing.Cpu;

/// <summary>
/// htb where a policy refuses executable memory (SELinux's execmem, a hardened runtime): <c>bench/cpu/deny-exec</c>
/// runs it under a seccomp filter that fails mprotect to read-execute, so the generated kernels really cannot be
/// mapped, and the searches must run the managed kernels, say why, and still find what they must.
/// </summary>
public class ExecutableMemoryPolicyTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(2);

    // The genesis block's header; its nonce is 2,083,236,893.
    private const string Genesis = "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";

    private static ProcessRun Htb(params string[] arguments) => Htb(new Dictionary<string, string>(), arguments);

    private static ProcessRun Htb(Dictionary<string, string> environment, params string[] arguments) =>
        Repository.Run("python3", ["bench/cpu/deny-exec", "dotnet", Path.Combine(AppContext.BaseDirectory, "htb.dll"), .. arguments], s_limit, environment);

    private static void SkipUnlessRefusable()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64, "deny-exec is a Linux x86-64 seccomp filter.");
        Skip.IfNot(Repository.OnPath("python3"), "python3 is not on PATH.");
        Skip.IfNot(Sha256dShaNiKernel.HasShaExtensions || Sha256dAvx512Kernel.HasAvx512,
            "This CPU has neither SHA extensions nor AVX-512: there is no generated kernel to refuse.");
    }

    [SkippableFact]
    public void Devices_names_each_refused_kernel_with_why_and_lists_only_managed_ones()
    {
        SkipUnlessRefusable();
        var run = Htb("devices");
        Assert.True(run.ExitCode == 0, run.Error);
        string cpu = run.Output.Split('\n').Single(line => line.StartsWith("cpu", StringComparison.Ordinal));
        string kernels = cpu[(cpu.IndexOf("sha256d kernels: ", StringComparison.Ordinal) + "sha256d kernels: ".Length)..cpu.IndexOf(';', cpu.IndexOf("sha256d kernels: ", StringComparison.Ordinal))];
        foreach (string generated in new[] { "shani", "avx512gen", "avx512sha" })
            Assert.DoesNotContain(generated, kernels, StringComparison.Ordinal);
        Assert.EndsWith("scalar", kernels, StringComparison.Ordinal);
        bool sha = Sha256dShaNiKernel.HasShaExtensions, avx512 = Sha256dAvx512Kernel.HasAvx512;
        foreach (string refused in new[] { sha ? "shani" : null, avx512 ? "avx512gen" : null, sha && avx512 ? "avx512sha" : null }.OfType<string>())
            Assert.Contains($"{refused} (mprotect to read-execute failed (Permission denied)", cpu, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_search_falls_back_says_so_once_per_kernel_and_still_finds_the_genesis_nonce()
    {
        SkipUnlessRefusable();
        var run = Htb("search", "--header", Genesis, "--bits", "1d00ffff", "--start", "2083236000", "--count", "2000", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("\"nonce\":2083236893", run.Output, StringComparison.Ordinal);
        Assert.Contains("\"hash\":\"000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f\"", run.Output, StringComparison.Ordinal);
        string[] notices = [.. run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        Assert.NotEmpty(notices);
        Assert.All(notices, line => Assert.Matches("^htb: the generated (shani|avx512gen|avx512sha) kernel cannot run: mprotect to read-execute failed .*; searching with the managed (avx512|avx2|scalar) kernel\\.$", line));
        Assert.Equal(notices.Length, notices.Distinct().Count());
    }

    [SkippableFact]
    public void Forcing_a_refused_kernel_is_bad_input_in_one_line()
    {
        SkipUnlessRefusable();
        string kernel = Sha256dAvx512Kernel.HasAvx512 ? "avx512gen" : "shani";
        var run = Htb(new Dictionary<string, string> { [CpuSha256dKernels.EnvironmentVariable] = kernel }, "hashrate", "--seconds", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"cannot run the {kernel} CPU kernel (mprotect to read-execute failed", line, StringComparison.Ordinal);
    }
}
