using System.Diagnostics;
using HashTensorBench.Energy;
using HashTensorBench.Workloads;

namespace HashTensorBench.Tests.Workloads;

/// <summary>Runs alone: the busy-loop test measures other processes' load, which tests running beside it would crowd out.</summary>
[CollectionDefinition(nameof(MachineLoadTests), DisableParallelization = true)]
public sealed class MachineLoadCollection;

[Collection(nameof(MachineLoadTests))]
public sealed class MachineLoadTests : IDisposable
{
    private readonly string _proc = Directory.CreateTempSubdirectory("htb-proc-").FullName;

    public void Dispose() => Directory.Delete(_proc, recursive: true);

    // /proc/stat's machine line: user nice system idle iowait irq softirq steal guest guest_nice, in 1/100 s.
    private void Stat(long user, long idle, long steal) => File.WriteAllText(Path.Combine(_proc, "stat"),
        $"cpu  {user} 0 0 {idle} 0 0 0 {steal} 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0 0 0\nintr 1\n");

    private void CpuInfo(double mhz) => File.WriteAllText(Path.Combine(_proc, "cpuinfo"),
        $"processor\t: 0\ncpu MHz\t\t: {mhz}\nprocessor\t: 1\ncpu MHz\t\t: {mhz}\n");

    [Fact]
    public void Steal_and_a_falling_clock_are_read_from_proc_and_warned_about()
    {
        Stat(user: 1000, idle: 1000, steal: 0);
        CpuInfo(3000);
        var monitor = MachineLoadMonitor.Start(_proc, () => TimeSpan.Zero);
        // 100 ticks more of which 10 stolen and 90 idle: 10 % steal, nobody else busy.
        Stat(user: 1000, idle: 1090, steal: 10);
        CpuInfo(2000);
        var load = monitor.Stop();

        Assert.Null(load.UnavailableReason);
        Assert.Equal(2, load.LogicalProcessors);
        Assert.Equal(0.10, load.StealFraction!.Value, 9);
        Assert.Equal(0, load.OtherBusyCores);
        Assert.Equal(3000, load.CpuMHzAtStart);
        Assert.Equal(2000, load.CpuMHzAtEnd);
        var warnings = load.Warnings().ToList();
        Assert.Contains(warnings, w => w.Contains("10% of the CPU time", StringComparison.Ordinal) || w.Contains("10 % of the CPU time", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("fell from 3000 to 2000 MHz", StringComparison.Ordinal));
    }

    [Fact]
    public void Busy_time_not_ours_counts_as_other_load_and_ours_does_not()
    {
        Stat(user: 0, idle: 0, steal: 0);
        var ours = TimeSpan.Zero;
        var monitor = MachineLoadMonitor.Start(_proc, () => ours);
        // 20 s of busy time, of which we used 5: 15 s of others' work in a few milliseconds is far over the threshold.
        Stat(user: 2000, idle: 0, steal: 0);
        ours = TimeSpan.FromSeconds(5);
        var load = monitor.Stop();
        Assert.True(load.OtherBusyCores > MachineLoad.BusyCoresThreshold, $"{load.OtherBusyCores}");
        Assert.Contains(load.Warnings(), w => w.StartsWith("other processes kept", StringComparison.Ordinal));

        // All of it ours: nothing to warn about.
        Stat(user: 0, idle: 0, steal: 0);
        ours = TimeSpan.Zero;
        monitor = MachineLoadMonitor.Start(_proc, () => ours);
        Stat(user: 500, idle: 0, steal: 0);
        ours = TimeSpan.FromSeconds(5);
        Assert.Equal(0, monitor.Stop().OtherBusyCores);
    }

    [Fact]
    public void A_missing_proc_is_reported_not_guessed()
    {
        var load = MachineLoadMonitor.Start(Path.Combine(_proc, "absent"), () => TimeSpan.Zero).Stop();
        Assert.Null(load.OtherBusyCores);
        Assert.Null(load.StealFraction);
        Assert.Contains("could not be read", load.UnavailableReason);
        Assert.Empty(load.Warnings());
    }

    [SkippableFact]
    public void A_busy_loop_in_another_process_is_warned_about()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads Linux's /proc");
        using var meter = new UnavailableEnergyMeter("cpu", EnergySources.None, "test");
        using var busy = Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]))!;
        try
        {
            Thread.Sleep(200);
            // This process sleeps: all the busy time is the other process's.
            var run = TimedRun.Measure("test", "H", meter, TimeSpan.FromSeconds(1.5), () =>
            {
                Thread.Sleep(50);
                return 1;
            });
            Assert.True(run.Load.OtherBusyCores > 0.5, $"{run.Load.OtherBusyCores}");
            Assert.Contains(run.Warnings, w => w.StartsWith("other processes kept", StringComparison.Ordinal));
        }
        finally
        {
            busy.Kill();
        }
    }
}
