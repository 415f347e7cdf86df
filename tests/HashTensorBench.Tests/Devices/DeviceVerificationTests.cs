using HashTensorBench.Bitcoin;
using HashTensorBench.Devices;

namespace HashTensorBench.Tests.Devices;

public class DeviceVerificationTests
{
    [Fact]
    public void The_cpu_passes_every_check_and_each_runs_through_the_callers_wrapper()
    {
        var wrapped = new List<string>();
        var checks = DeviceVerification.Run(DeviceId.Cpu, KnownHeaders.All, "the built-in blocks", (name, run) =>
        {
            wrapped.Add(name);
            return run();
        }).ToList();

        Assert.Equal(["sha256d random headers", "sha256d real headers", "gemm against a double reference"], checks.Select(c => c.Name));
        Assert.Equal(checks.Select(c => c.Name), wrapped);
        Assert.All(checks, c => Assert.True(c.Ok, c.Detail));
        // The CPU is checked against the platform's SHA-256, not against another CPU searcher (which could not fail).
        Assert.EndsWith("identical to SHA256.HashData", checks[0].Detail);
        Assert.Contains($"{KnownHeaders.All.Count} blocks from the built-in blocks", checks[1].Detail);
    }

    [Fact]
    public void No_headers_fail_their_check_and_a_failing_check_does_not_stop_the_others()
    {
        var checks = DeviceVerification.Run(DeviceId.Cpu, [], "an empty file", (name, run) =>
            name.StartsWith("sha256d random", StringComparison.Ordinal) ? throw new InvalidOperationException("broken on purpose") : run()).ToList();

        Assert.Equal(3, checks.Count);
        Assert.False(checks[0].Ok);
        Assert.IsType<InvalidOperationException>(checks[0].Error);
        Assert.Equal("InvalidOperationException: broken on purpose", checks[0].Detail);
        Assert.False(checks[1].Ok);
        Assert.Equal("an empty file holds no headers", checks[1].Detail);
        Assert.True(checks[2].Ok, checks[2].Detail);
    }
}
