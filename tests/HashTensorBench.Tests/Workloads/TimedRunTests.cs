using HashTensorBench.Energy;
using HashTensorBench.Hashing.Cpu;
using HashTensorBench.Workloads;

namespace HashTensorBench.Tests.Workloads;

public class TimedRunTests
{
    [Fact]
    public void Work_per_second_and_per_joule_come_from_the_same_window()
    {
        using var meter = new StubMeter(EnergySources.Rapl, joules: 250);
        int steps = 0;
        var run = TimedRun.Measure("stub", "H", meter, TimeSpan.FromMilliseconds(30), () =>
        {
            steps++;
            Thread.Sleep(5);
            return 1000;
        });
        Assert.Equal(1000.0 * steps, run.Work);
        Assert.True(run.Elapsed >= TimeSpan.FromMilliseconds(30));
        Assert.Equal(run.Work / run.Elapsed.TotalSeconds, run.WorkPerSecond, 9);
        Assert.Equal(run.Work / 250, run.WorkPerJoule);
        Assert.Equal(1, meter.Windows);
    }

    [Fact]
    public void Each_step_is_a_window_and_an_unstable_rate_is_warned_about()
    {
        using var meter = new StubMeter(EnergySources.Rapl, joules: 1);
        int step = 0;
        // Steps alternate between 1 and 4 units in about the same time: the windows spread far over 10 %.
        var run = TimedRun.Measure("stub", "H", meter, TimeSpan.FromMilliseconds(100), () =>
        {
            Thread.Sleep(5);
            return step++ % 2 == 0 ? 1 : 4;
        });
        Assert.Equal(step, run.Windows.Windows);
        Assert.True(run.Windows.QuartileSpread > RateMeasurement.SpreadThreshold);
        Assert.Contains(run.Warnings, w => w.StartsWith("the rate is unstable", StringComparison.Ordinal));
        Assert.Equal(run.Windows.Median, run.Rate);
        Assert.False(run.StoppedEarly);
    }

    [Fact]
    public void Cancelled_after_some_steps_returns_them_marked_as_stopped_early()
    {
        using var meter = new StubMeter(EnergySources.Rapl, joules: 1);
        using var cancel = new CancellationTokenSource();
        int steps = 0;
        var run = TimedRun.Measure("stub", "H", meter, TimeSpan.FromHours(1), () =>
        {
            if (++steps == 4)
                cancel.Cancel();
            cancel.Token.ThrowIfCancellationRequested();
            return 10;
        }, cancellationToken: cancel.Token);
        // The fourth step was cut short: three whole steps are the measurement.
        Assert.True(run.StoppedEarly);
        Assert.Equal(30, run.Work);
        Assert.Equal(3, run.Windows.Windows);
        Assert.Contains(run.Warnings, w => w.StartsWith("stopped early", StringComparison.Ordinal));
    }

    [Fact]
    public void Unavailable_energy_gives_no_work_per_joule()
    {
        using var meter = new UnavailableEnergyMeter("cpu", EnergySources.Rapl, "no powercap zone (test)");
        var run = TimedRun.Measure("stub", "H", meter, TimeSpan.FromMilliseconds(1), () => 1);
        Assert.Null(run.WorkPerJoule);
        Assert.Null(run.Energy.Joules);
        Assert.Equal("no powercap zone (test)", run.Energy.UnavailableReason);
    }

    [Fact]
    public void Bad_arguments_and_cancellation_are_reported()
    {
        using var meter = new StubMeter(EnergySources.Rapl, joules: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => TimedRun.Measure("stub", "H", meter, TimeSpan.Zero, () => 1));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => TimedRun.Measure("stub", "H", meter, TimeSpan.FromSeconds(1), () => 1, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void Hash_rate_counts_every_hash_it_searched()
    {
        using var meter = new StubMeter(EnergySources.Rapl, joules: 10);
        var run = HashRate.Measure(new CpuNonceSearcher(CpuSha256dKernel.Scalar, 1), meter, TimeSpan.FromMilliseconds(300));
        Assert.Equal("H", run.Unit);
        Assert.True(run.Work >= 1 << 16);
        Assert.Equal(0, run.Work % (1 << 16));
        Assert.Equal(run.Work / 10, run.WorkPerJoule);
    }

    [Theory]
    [InlineData("fp32")]
    [InlineData("fp16")]
    [InlineData("bf16")]
    public void Gemm_rate_counts_whole_products_on_the_host_and_on_a_device_session(string name)
    {
        var shape = new HashTensorBench.Tensors.GemmShape(33, 17, 40);
        var operands = HashTensorBench.Tensors.GemmOperands.Create(shape, HashTensorBench.Tensors.GemmElementType.Parse(name));
        using var meter = new StubMeter(EnergySources.Rapl, joules: 2);
        var host = GemmRate.Measure(new HashTensorBench.Tensors.Cpu.CpuMatrixMultiplier(), operands, meter, TimeSpan.FromMilliseconds(50));
        Assert.Equal("FLOP", host.Unit);
        Assert.True(host.Work >= shape.FlopCount);
        Assert.Equal(0, host.Work % shape.FlopCount);

        using var gpu = HashTensorBench.Tensors.Cuda.IlgpuMatrixMultiplier.ForCpuAccelerator();
        // The device session in FP32 (the tensor-core kernels' emulation takes seconds a product); its counting is the same.
        using var session = gpu.Prepare(HashTensorBench.Tensors.GemmOperands.Create(shape, HashTensorBench.Tensors.GemmElementType.Fp32));
        var device = GemmRate.Measure(session, meter, TimeSpan.FromMilliseconds(50));
        Assert.Equal(0, device.Work % shape.FlopCount);
        Assert.Equal(device.Work / 2, device.WorkPerJoule);
    }

    /// <summary>A meter whose every window reads the same energy.</summary>
    private sealed class StubMeter(string source, double joules) : IEnergyMeter
    {
        public int Windows { get; private set; }

        public double Joules => joules;

        public string Device => "stub";

        public string Source => source;

        public string? UnavailableReason => null;

        public IEnergyWindow Start()
        {
            Windows++;
            return new Window(this, DateTime.UtcNow);
        }

        public void Dispose()
        {
        }

        private sealed class Window(StubMeter meter, DateTime started) : IEnergyWindow
        {
            public EnergyReading Stop() => EnergyReading.Measured(meter.Device, meter.Source, meter.Joules,
                DateTime.UtcNow - started + TimeSpan.FromTicks(1));

            public void Dispose()
            {
            }
        }
    }
}
