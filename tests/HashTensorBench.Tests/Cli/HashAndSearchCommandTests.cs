using System.Text.Json;
using HashTensorBench.Tests.TestData;

namespace HashTensorBench.Tests.Cli;

[Collection(nameof(HashTensorBench.Tests.Tensors.Cuda.CpuAcceleratorCollection))]
public class HashAndSearchCommandTests
{
    private static readonly string s_genesis = RealHeaders.Embedded[0].HeaderHex;

    [Fact]
    public void Hash_prints_the_block_hash_in_display_order()
    {
        var run = CliRun.Of("hash", "--header", s_genesis);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f", run.Output.Trim());
    }

    [Fact]
    public void Search_with_json_finds_the_genesis_nonce()
    {
        var run = CliRun.Of("search", "--header", s_genesis, "--bits", "1d00ffff", "--start", "2083236000", "--count", "5000", "--device", "cpu", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.StartsWith("cpu/", root.GetProperty("device").GetString());
        Assert.Equal(5000, root.GetProperty("hashes").GetInt64());
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
        var hit = Assert.Single(root.GetProperty("hits").EnumerateArray());
        Assert.Equal(2083236893u, hit.GetProperty("nonce").GetUInt32());
        Assert.Equal(RealHeaders.Embedded[0].BlockHash, hit.GetProperty("hash").GetString());
    }

    [Fact]
    public void Search_with_a_full_target_prints_every_hit_as_text()
    {
        var run = CliRun.Of("search", "--header", s_genesis, "--target", new string('f', 64), "--start", "4294967290", "--count", "6", "--threads", "1");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("hits    6", run.Output);
        Assert.Contains("nonce 4294967295", run.Output);
    }

    [Fact]
    public void Devices_lists_the_cpu_and_says_why_there_is_no_gpu()
    {
        var run = CliRun.Of("devices");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("cpu ", run.Output);
        Assert.Contains("sha256d kernels: ", run.Output);
        // A kernel this machine cannot run is listed with why.
        if (HashTensorBench.Hashing.Cpu.CpuSha256dKernels.WhyNotSupported(HashTensorBench.Hashing.Cpu.CpuSha256dKernel.ShaNi) is { } reason)
            Assert.Contains($"shani ({reason})", run.Output);
        else
            Assert.Contains("shani", run.Output);
        var discovery = HashTensorBench.Platform.Cuda.CudaDiscovery.Current;
        if (discovery.Devices.Count == 0)
            Assert.Contains("cuda    none: ", run.Output);
        else
        {
            Assert.DoesNotContain("cuda    none: ", run.Output);
            Assert.All(discovery.Devices, d => Assert.Contains(d.ToString()!, run.Output));
        }
    }

    [SkippableFact]
    public void A_missing_cuda_device_is_an_error_and_gpu_falls_back_to_the_cpu()
    {
        Skip.If(HashTensorBench.Platform.Cuda.CudaDiscovery.Current.Devices.Count > 0, "This machine has a CUDA device.");
        var missing = CliRun.Of("search", "--header", s_genesis, "--bits", "1d00ffff", "--count", "10", "--device", "cuda:0");
        Assert.Equal(HashTensorBench.Cli.HtbApp.DeviceError, missing.ExitCode);
        Assert.StartsWith("htb: cuda:0: no CUDA device", missing.Error);
        Assert.DoesNotContain("   at ", missing.Error);

        // verify of a device that is not there is exit 3, not 1, in one line rather than a failure per check.
        var verify = CliRun.Of("verify", "--device", "cuda:0");
        Assert.Equal(HashTensorBench.Cli.HtbApp.DeviceError, verify.ExitCode);
        Assert.Equal("", verify.Output);
        Assert.StartsWith("htb: cuda:0: no CUDA device", verify.Error);

        var fallback = CliRun.Of("search", "--header", s_genesis, "--bits", "1d00ffff", "--start", "2083236893", "--count", "1", "--device", "gpu");
        Assert.Equal(0, fallback.ExitCode);
        Assert.Contains("using the CPU instead", fallback.Error);
        Assert.Contains("nonce 2083236893", fallback.Output);
    }

    [Fact]
    public void The_gpu_kernel_runs_from_the_command_line_on_ilgpu_cpu()
    {
        var run = CliRun.Of("search", "--header", s_genesis, "--bits", "1d00ffff", "--start", "2083236800", "--count", "200", "--device", "ilgpu-cpu", "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"device\":\"ilgpu-cpu\"", run.Output);
        Assert.Contains("\"nonce\":2083236893,\"version\":1", run.Output);
    }

    [Fact]
    public void Kernels_writes_the_ptx_of_every_cuda_kernel_without_a_gpu()
    {
        string dir = Path.Combine(Path.GetTempPath(), "htb-ptx-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = CliRun.Of("kernels", "--ptx", dir);
            Assert.Equal(0, run.ExitCode);
            string ptx = File.ReadAllText(Path.Combine(dir, "sha256d.ptx"));
            Assert.Contains(".version 7.8", ptx);
            Assert.Contains(".entry", ptx);
            CliRun.Of("kernels", "--ptx", dir, "--arch", "hopper").AssertUsageError("sm_90");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Kernels_writes_the_disassembly_of_the_generated_cpu_kernels_on_any_machine()
    {
        string dir = Path.Combine(Path.GetTempPath(), "htb-asm-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = CliRun.Of("kernels", "--cpu", dir);
            Assert.Equal(0, run.ExitCode);
            string asm = File.ReadAllText(Path.Combine(dir, "sha256d-shani-x5.asm"));
            Assert.Contains("; instructions  per lane  section", asm);
            Assert.Matches(@"; +\d+ +[\d.]+  hash 2, rounds 16-19: schedule and rounds", asm);
            Assert.Contains("sha256rnds2 xmm", asm);
            Assert.Contains("sha256msg2  xmm", asm);
            asm = File.ReadAllText(Path.Combine(dir, "sha256d-avx512.asm"));
            Assert.Matches(@"; +\d+ +[\d.]+  hash 2, rounds 57-60", asm);
            Assert.Contains("vpternlogd  zmm", asm);
            CliRun.Of("kernels").AssertUsageError("--ptx");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Verify_accepts_the_gpu_kernel_on_ilgpu_cpu_and_fails_on_a_wrong_block_hash()
    {
        var run = CliRun.Of("verify", "--device", "ilgpu-cpu", "--json", "--sample", "20");
        Assert.Equal(0, run.ExitCode);
        using (var json = JsonDocument.Parse(run.Output))
        {
            Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
            Assert.Equal(4, json.RootElement.GetProperty("checks").GetArrayLength());
            Assert.Contains(json.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "gemm against a double reference");
        }

        string csv = Path.GetTempFileName();
        try
        {
            File.WriteAllText(csv, "height,header_hex,block_hash,nbits_hex,nonce\n" +
                $"0,{s_genesis},{new string('0', 63)}1,1d00ffff,2083236893\n");
            var wrong = CliRun.Of("verify", "--device", "cpu", "--headers", csv);
            Assert.Equal(1, wrong.ExitCode);
            Assert.Contains("FAIL  sha256d real headers: block 0", wrong.Output);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public void Verify_fails_when_its_headers_file_holds_no_header()
    {
        string csv = Path.GetTempFileName();
        try
        {
            File.WriteAllText(csv, "height,header_hex,block_hash,nbits_hex,nonce\n");
            var run = CliRun.Of("verify", "--device", "cpu", "--headers", csv);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains($"FAIL  sha256d real headers: {csv} holds no headers", run.Output);
            // The other checks still ran and reported on their own.
            Assert.Contains("ok    sha256d random headers", run.Output);
            Assert.Contains("ok    gemm against a double reference", run.Output);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public void A_bad_row_in_verify_headers_is_named_by_file_and_line()
    {
        string csv = Path.GetTempFileName();
        try
        {
            File.WriteAllText(csv, "height,header_hex,block_hash,nbits_hex,nonce\n" +
                $"0,{s_genesis},{RealHeaders.Embedded[0].BlockHash},1d00ffff,2083236893\n\n" +
                $"1,zz{s_genesis[2..]},{RealHeaders.Embedded[0].BlockHash},1d00ffff,2083236893\n");
            CliRun.Of("verify", "--device", "cpu", "--headers", csv).AssertUsageError($"--headers: {csv}, line 4: ");
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Theory]
    [InlineData("80 bytes", "search", "--header", "00", "--bits", "1d00ffff", "--count", "1")]
    [InlineData("not hex", "search", "--header", "zz" + "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", "--bits", "1d00ffff", "--count", "1")]
    [InlineData("64 hex digits", "search", "--header", "@genesis", "--target", "00ff", "--count", "1")]
    [InlineData("sign bit", "search", "--header", "@genesis", "--bits", "1d80ffff", "--count", "1")]
    [InlineData("8 hex digits", "search", "--header", "@genesis", "--bits", "1d00ff", "--count", "1")]
    [InlineData("--bits: the target is zero", "search", "--header", "@genesis", "--bits", "00000000", "--count", "1")]
    [InlineData("--bits: the target is zero", "search", "--header", "@genesis", "--bits", "01003456", "--count", "1")]
    [InlineData("--target: the target is zero", "search", "--header", "@genesis", "--target", "@zero", "--count", "1")]
    [InlineData("either as --target", "search", "--header", "@genesis", "--count", "1")]
    [InlineData("either as --target", "search", "--header", "@genesis", "--bits", "1d00ffff", "--target", "@max", "--count", "1")]
    [InlineData("--start must be a whole number", "search", "--header", "@genesis", "--bits", "1d00ffff", "--start", "-1", "--count", "1")]
    [InlineData("--start must be a whole number", "search", "--header", "@genesis", "--bits", "1d00ffff", "--start", "4294967296", "--count", "1")]
    [InlineData("--count must be a whole number", "search", "--header", "@genesis", "--bits", "1d00ffff", "--count", "abc")]
    [InlineData("--count must be a whole number", "search", "--header", "@genesis", "--bits", "1d00ffff", "--count", "0")]
    [InlineData("passes the last nonce", "search", "--header", "@genesis", "--bits", "1d00ffff", "--start", "4294967295", "--count", "2")]
    [InlineData("Unknown device \"gpu0\"", "search", "--header", "@genesis", "--bits", "1d00ffff", "--count", "1", "--device", "gpu0")]
    [InlineData("--header", "hash")]
    [InlineData("frobnicate", "frobnicate")]
    public void Bad_input_gets_one_clear_line_and_a_non_zero_exit(string expected, params string[] args)
    {
        var resolved = args.Select(a => a switch { "@genesis" => s_genesis, "@max" => new string('f', 64), "@zero" => new string('0', 64), _ => a }).ToArray();
        CliRun.Of(resolved).AssertUsageError(expected);
    }
}
