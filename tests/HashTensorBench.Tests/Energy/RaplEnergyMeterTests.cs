using HashTensorBench.Energy;

namespace HashTensorBench.Tests.Energy;

public sealed class RaplEnergyMeterTests : IDisposable
{
    private const ulong Range = 262_143_328_850; // a real Intel max_energy_range_uj
    private readonly FakePowercap _tree = new();
    private readonly ManualTime _time = new();

    public void Dispose() => _tree.Dispose();

    private IEnergyMeter Open(Func<string, string>? readFile = null) =>
        RaplEnergyMeter.Open(_tree.Root, readFile ?? File.ReadAllText, _time, Timeout.InfiniteTimeSpan);

    [Fact]
    public void Window_reads_the_counter_delta()
    {
        _tree.AddZone("intel-rapl:0", "package-0", 5_000_000, Range);
        using var meter = Open();
        Assert.Null(meter.UnavailableReason);
        Assert.Equal("cpu package-0", meter.Device);
        using var window = meter.Start();
        _tree.SetEnergy("intel-rapl:0", 1_205_000_000);
        _time.Advance(TimeSpan.FromSeconds(12));
        var reading = window.Stop();

        Assert.True(reading.IsMeasured);
        Assert.Equal(EnergySources.Rapl, reading.Source);
        Assert.Equal(1200.0, reading.Joules!.Value, 9);
        Assert.Equal(100.0, reading.AverageWatts!.Value, 9);
        Assert.Equal(12.0, reading.Duration.TotalSeconds, 9);
        Assert.False(reading.IsTooShort);
        Assert.Same(reading, window.Stop());
    }

    [Fact]
    public void Counter_wrapping_during_the_window_is_counted_across_samples()
    {
        const ulong range = 65_532_610_987; // AMD Zen: 2^32 units of 15.3 µJ
        _tree.AddZone("intel-rapl:0", "package-0", range - 1_000_000, range);
        using var meter = Open();
        var window = (RaplEnergyMeter.Window)meter.Start();
        // Three wraps over the window, each inside a different sample interval: 65.5 kJ per wrap.
        ulong total = 0;
        ulong counter = range - 1_000_000;
        for (int wrap = 0; wrap < 3; wrap++)
        {
            counter = (counter + 40_000_000_000) % range;
            total += 40_000_000_000;
            _tree.SetEnergy("intel-rapl:0", counter);
            window.Sample();
            counter = (counter + 30_000_000_000) % range;
            total += 30_000_000_000;
            _tree.SetEnergy("intel-rapl:0", counter);
            window.Sample();
        }
        _time.Advance(TimeSpan.FromSeconds(600));
        var reading = window.Stop();

        Assert.Equal(total / 1e6, reading.Joules!.Value, 6);
        Assert.True(total > 3 * range, "the test must cross more than one wrap");
    }

    [Fact]
    public void Packages_are_summed_and_subzones_and_other_zones_ignored()
    {
        _tree.AddZone("intel-rapl:0", "package-0", 1_000_000, Range);
        _tree.AddZone("intel-rapl:1", "package-1", 2_000_000, Range);
        _tree.AddZone("intel-rapl:0:0", "core", 0, Range);
        _tree.AddZone("intel-rapl:2", "psys", 0, Range);
        _tree.AddZone("intel-rapl-mmio:0", "package-0", 0, Range);
        using var meter = Open();
        Assert.Equal(["package-0", "package-1"], ((RaplEnergyMeter)meter).Packages);
        Assert.Equal("cpu package-0+package-1", meter.Device);
        using var window = meter.Start();
        _tree.SetEnergy("intel-rapl:0", 31_000_000);
        _tree.SetEnergy("intel-rapl:1", 72_000_000);
        _tree.SetEnergy("intel-rapl:0:0", 999_000_000);
        _tree.SetEnergy("intel-rapl:2", 999_000_000);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(100.0, window.Stop().Joules!.Value, 9);
    }

    [Fact]
    public void Permission_denied_is_unavailable_with_the_reason()
    {
        _tree.AddZone("intel-rapl:0", "package-0", 1, Range);
        // Root reads a mode-000 file anyway, so the denial is injected.
        using var meter = Open(path => path.EndsWith("energy_uj", StringComparison.Ordinal)
            ? throw new UnauthorizedAccessException("denied")
            : File.ReadAllText(path));

        Assert.Equal(RaplEnergyMeter.NoPermissionReason, meter.UnavailableReason);
        var reading = meter.Start().Stop();
        Assert.False(reading.IsMeasured);
        Assert.Null(reading.Joules);
        Assert.Contains("no permission", reading.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Permission_lost_during_a_window_makes_the_reading_unavailable()
    {
        _tree.AddZone("intel-rapl:0", "package-0", 1, Range);
        bool denied = false;
        using var meter = Open(path => denied && path.EndsWith("energy_uj", StringComparison.Ordinal)
            ? throw new UnauthorizedAccessException("denied")
            : File.ReadAllText(path));
        using var window = meter.Start();
        denied = true;
        _time.Advance(TimeSpan.FromSeconds(20));
        var reading = window.Stop();

        Assert.Equal(RaplEnergyMeter.NoPermissionReason, reading.UnavailableReason);
        Assert.Null(reading.AverageWatts);
    }

    [Fact]
    public void Missing_powercap_is_unavailable_with_the_reason()
    {
        var meter = RaplEnergyMeter.Open(Path.Combine(_tree.Root, "absent"));

        Assert.IsType<UnavailableEnergyMeter>(meter);
        Assert.StartsWith("no powercap zone", meter.UnavailableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Powercap_without_package_zones_is_unavailable_with_the_reason()
    {
        _tree.AddZone("intel-rapl:0:0", "core", 0, Range);
        var meter = Open();

        Assert.StartsWith("no powercap zone", meter.UnavailableReason, StringComparison.Ordinal);
        Assert.False(meter.Start().Stop().IsMeasured);
    }

    [Fact]
    public void Short_window_is_flagged()
    {
        _tree.AddZone("intel-rapl:0", "package-0", 0, Range);
        using var meter = Open();
        using var window = meter.Start();
        _tree.SetEnergy("intel-rapl:0", 50_000_000);
        _time.Advance(TimeSpan.FromSeconds(2));
        var reading = window.Stop();

        Assert.True(reading.IsTooShort);
        Assert.Contains("too short", reading.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Machine_without_powercap_gets_an_unavailable_cpu_meter()
    {
        Skip.If(Directory.Exists(RaplEnergyMeter.DefaultRoot), "this machine has a powercap tree");
        using var meter = EnergyMeters.ForCpu();

        Assert.StartsWith("no powercap zone", meter.UnavailableReason, StringComparison.Ordinal);
        Assert.Null(meter.Start().Stop().Joules);
    }
}
