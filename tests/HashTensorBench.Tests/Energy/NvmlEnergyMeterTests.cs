using System.Runtime.InteropServices;
using HashTensorBench.Energy;
using HashTensorBench.Platform.Cuda;
using ILGPU.Runtime.Cuda;

namespace HashTensorBench.Tests.Energy;

public sealed class NvmlEnergyMeterTests
{
    private readonly ManualTime _time = new();

    private IEnergyMeter Open(FakeNvml nvml) => NvmlEnergyMeter.Open(nvml, "gpu test", _time, Timeout.InfiniteTimeSpan);

    [Fact]
    public void Total_energy_counter_is_preferred_and_read_as_a_millijoule_delta()
    {
        var nvml = new FakeNvml { Millijoules = 1_000_000 };
        using var meter = Open(nvml);
        Assert.Equal(EnergySources.NvmlTotalEnergy, meter.Source);

        using var window = meter.Start();
        nvml.Millijoules = 8_500_250;
        nvml.SmClock = 1755;
        nvml.Temperature = 63;
        _time.Advance(TimeSpan.FromSeconds(15));
        var reading = window.Stop();

        Assert.Equal(7500.25, reading.Joules!.Value, 9);
        Assert.Equal(500.0167, reading.AverageWatts!.Value, 4);
        Assert.Equal(new DeviceState(700, 1980, 41), reading.AtStart);
        Assert.Equal(new DeviceState(700, 1755, 63), reading.AtEnd);
    }

    [Fact]
    public void Counter_going_backwards_is_unavailable()
    {
        var nvml = new FakeNvml { Millijoules = 5_000 };
        using var meter = Open(nvml);
        using var window = meter.Start();
        nvml.Millijoules = 10;
        _time.Advance(TimeSpan.FromSeconds(15));

        Assert.Null(window.Stop().Joules);
    }

    [Fact]
    public void Without_total_energy_the_power_is_sampled_and_integrated()
    {
        var nvml = new FakeNvml { Energy = NvmlReturn.NVML_ERROR_NOT_SUPPORTED, Milliwatts = 100_000 };
        using var meter = Open(nvml);
        Assert.Equal(EnergySources.NvmlIntegratedPower, meter.Source);

        var window = (NvmlEnergyMeter.IntegratedPowerWindow)meter.Start(); // samples 100 W at 0 s
        _time.Advance(TimeSpan.FromSeconds(4));
        nvml.Milliwatts = 300_000;
        window.Sample(); // 300 W at 4 s: 800 J
        _time.Advance(TimeSpan.FromSeconds(6));
        var reading = window.Stop(); // 300 W at 10 s: 1800 J

        Assert.Equal(EnergySources.NvmlIntegratedPower, reading.Source);
        Assert.Equal(2600.0, reading.Joules!.Value, 9);
        Assert.Equal(260.0, reading.AverageWatts!.Value, 9);
    }

    [Fact]
    public void No_energy_and_no_power_is_unavailable_and_releases_nvml()
    {
        var nvml = new FakeNvml { Energy = NvmlReturn.NVML_ERROR_NOT_SUPPORTED, Power = NvmlReturn.NVML_ERROR_NO_PERMISSION };
        using var meter = Open(nvml);

        Assert.IsType<UnavailableEnergyMeter>(meter);
        Assert.Contains("not supported", meter.UnavailableReason, StringComparison.Ordinal);
        Assert.Contains("no permission", meter.UnavailableReason, StringComparison.Ordinal);
        Assert.True(nvml.Disposed);
    }

    [SkippableFact]
    public void Without_the_driver_a_gpu_meter_is_unavailable_with_the_reason()
    {
        NativeLibraries.Register();
        Skip.If(NativeLibrary.TryLoad("libnvidia-ml.so.1", out var handle) && Free(handle), "this machine has NVML");

        using var byIndex = EnergyMeters.ForGpu(0u);
        using var byBusId = EnergyMeters.ForGpu("00000000:01:00.0");

        foreach (var meter in new[] { byIndex, byBusId })
        {
            Assert.IsType<UnavailableEnergyMeter>(meter);
            Assert.StartsWith("no driver", meter.UnavailableReason, StringComparison.Ordinal);
            var reading = meter.Start().Stop();
            Assert.False(reading.TryGetJoules(out _));
            Assert.StartsWith("unavailable: no driver", reading.ToString(), StringComparison.Ordinal);
        }
        Assert.Equal("gpu 00000000:01:00.0", byBusId.Device);
    }

    [Theory]
    [InlineData(NvmlReturn.NVML_ERROR_NOT_SUPPORTED, "not supported")]
    [InlineData(NvmlReturn.NVML_ERROR_NO_PERMISSION, "no permission")]
    [InlineData(NvmlReturn.NVML_ERROR_DRIVER_NOT_LOADED, "no driver")]
    [InlineData(NvmlReturn.NVML_ERROR_NOT_FOUND, "no such device")]
    public void Nvml_statuses_map_to_reasons(NvmlReturn status, string reason) =>
        Assert.StartsWith(reason, NvmlEnergyMeter.ReasonFor("x", status), StringComparison.Ordinal);

    private static bool Free(IntPtr handle)
    {
        NativeLibrary.Free(handle);
        return true;
    }

    private sealed class FakeNvml : INvmlPower
    {
        public NvmlReturn Energy { get; init; } = NvmlReturn.NVML_SUCCESS;
        public NvmlReturn Power { get; init; } = NvmlReturn.NVML_SUCCESS;
        public ulong Millijoules { get; set; }
        public uint Milliwatts { get; set; }
        public uint SmClock { get; set; } = 1980;
        public uint Temperature { get; set; } = 41;
        public bool Disposed { get; private set; }

        public NvmlReturn GetTotalEnergyConsumption(out ulong millijoules)
        {
            millijoules = Millijoules;
            return Energy;
        }

        public NvmlReturn GetPowerUsage(out uint milliwatts)
        {
            milliwatts = Milliwatts;
            return Power;
        }

        public NvmlReturn GetEnforcedPowerLimit(out uint milliwatts)
        {
            milliwatts = 700_000;
            return NvmlReturn.NVML_SUCCESS;
        }

        public NvmlReturn GetSmClock(out uint megahertz)
        {
            megahertz = SmClock;
            return NvmlReturn.NVML_SUCCESS;
        }

        public NvmlReturn GetTemperature(out uint celsius)
        {
            celsius = Temperature;
            return NvmlReturn.NVML_SUCCESS;
        }

        public NvmlReturn GetClockLimits(out ulong reasons)
        {
            reasons = 0;
            return NvmlReturn.NVML_ERROR_NOT_SUPPORTED;
        }

        public void Dispose() => Disposed = true;
    }
}
