using HashTensorBench.Devices;
using HashTensorBench.Energy;

namespace HashTensorBench.Tests.Energy;

public sealed class EnergyReadingTests
{
    [Fact]
    public void Unavailable_reading_never_yields_a_number()
    {
        var reading = EnergyReading.Unavailable("cpu", EnergySources.Rapl, "no powercap zone (test)", TimeSpan.FromSeconds(30));

        Assert.False(reading.IsMeasured);
        Assert.Null(reading.Joules);
        Assert.Null(reading.AverageWatts);
        Assert.False(reading.TryGetJoules(out var joules));
        Assert.Equal(0, joules);
        Assert.False(reading.IsTooShort);
        Assert.Equal("unavailable: no powercap zone (test) (rapl, cpu)", reading.ToString());
    }

    [Fact]
    public void Measured_reading_formats_its_figures()
    {
        var reading = EnergyReading.Measured("gpu 0", EnergySources.NvmlTotalEnergy, 5000, TimeSpan.FromSeconds(10),
            new DeviceState(700, 1980, 40), new DeviceState(700, 1755, 66));

        Assert.True(reading.TryGetJoules(out var joules));
        Assert.Equal(5000, joules);
        Assert.Equal(500, reading.AverageWatts);
        Assert.False(reading.IsTooShort);
        Assert.Equal("5000 J over 10.00 s = 500 W (nvml-total-energy, gpu 0) "
            + "[start: limit 700 W, SM 1980 MHz, 40 °C; end: limit 700 W, SM 1755 MHz, 66 °C]", reading.ToString());
    }

    [Theory]
    [InlineData(double.NaN, 1.0)]
    [InlineData(-1.0, 1.0)]
    [InlineData(double.PositiveInfinity, 1.0)]
    [InlineData(1.0, 0.0)]
    public void Measured_rejects_figures_that_are_not_energy(double joules, double seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            EnergyReading.Measured("cpu", EnergySources.Rapl, joules, TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Unavailable_meter_and_idle_measurement_give_the_reason()
    {
        using var meter = new UnavailableEnergyMeter("gpu 0", EnergySources.None, "no driver (test)");

        var idle = IdlePower.Measure(meter, TimeSpan.FromMilliseconds(1));

        Assert.Null(idle.Joules);
        Assert.Equal("no driver (test)", idle.UnavailableReason);
    }

    [Fact]
    public void An_opened_device_opens_its_meter_and_ilgpus_cpu_accelerator_is_metered_as_the_cpu()
    {
        foreach (var id in new[] { DeviceId.Cpu, DeviceId.IlgpuCpu })
        {
            using var device = ComputeDevice.Open(id);
            using var meter = device.OpenEnergyMeter();
            Assert.Equal("cpu", meter.Device[..3]);
        }
        Assert.Throws<ArgumentException>(() => ComputeDevice.Open(DeviceId.EveryGpu));
    }
}
