using System.Runtime.InteropServices;
using HashTensorBench.Platform.Cuda;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.Cuda.API;

namespace HashTensorBench.Energy;

/// <summary>
/// One NVIDIA GPU's energy through NVML: the total energy counter where the GPU has one (Volta and
/// newer), otherwise the power reading sampled every 100 ms and integrated, labelled
/// <see cref="EnergySources.NvmlIntegratedPower"/>. Records the power limit, SM clock and temperature
/// at each window's start and end.
/// </summary>
public sealed class NvmlEnergyMeter : IEnergyMeter
{
    // NVML refreshes power about every 100 ms (on Ampere and newer it reports a 1 s average), so faster
    // sampling would only read the same value again.
    private static readonly TimeSpan PowerSamplePeriod = TimeSpan.FromMilliseconds(100);

    private readonly INvmlPower _nvml;
    private readonly TimeProvider _time;
    private readonly TimeSpan _samplePeriod;

    private NvmlEnergyMeter(INvmlPower nvml, string device, string source, TimeProvider time, TimeSpan samplePeriod)
    {
        _nvml = nvml;
        Device = device;
        Source = source;
        _time = time;
        _samplePeriod = samplePeriod;
    }

    /// <inheritdoc/>
    public string Device { get; }

    /// <inheritdoc/>
    public string Source { get; }

    /// <inheritdoc/>
    public string? UnavailableReason => null;

    /// <summary>
    /// Opens the GPU with this PCI bus id (as <c>nvidia-smi</c> prints it, for example
    /// <c>00000000:01:00.0</c>), or returns an <see cref="UnavailableEnergyMeter"/> that says why it cannot.
    /// </summary>
    public static IEnergyMeter Open(string pciBusId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pciBusId);
        return Open($"gpu {pciBusId}", (NvmlAPI api, out IntPtr handle) => api.DeviceGetHandleByPciBusId(pciBusId, out handle));
    }

    /// <summary>Opens the GPU with this NVML index, or returns an <see cref="UnavailableEnergyMeter"/> that says why it cannot.</summary>
    public static IEnergyMeter Open(uint index) =>
        Open($"gpu {index}", (NvmlAPI api, out IntPtr handle) => api.DeviceGetHandleByIndex(index, out handle));

    private delegate NvmlReturn GetHandle(NvmlAPI api, out IntPtr handle);

    private static IEnergyMeter Open(string device, GetHandle getHandle)
    {
        NativeLibraries.Register();
        NvmlAPI api;
        NvmlReturn status;
        try
        {
            api = NvmlAPI.Create(null);
            status = api.Init();
        }
        catch (DllNotFoundException)
        {
            return new UnavailableEnergyMeter(device, EnergySources.None,
                "no driver (NVML, libnvidia-ml.so.1, could not be loaded: is the NVIDIA driver installed?)");
        }
        catch (EntryPointNotFoundException e)
        {
            return new UnavailableEnergyMeter(device, EnergySources.None, $"no driver (this NVML lacks {e.Message})");
        }
        if (status != NvmlReturn.NVML_SUCCESS)
            return new UnavailableEnergyMeter(device, EnergySources.None, ReasonFor("nvmlInit", status));
        status = getHandle(api, out var handle);
        if (status != NvmlReturn.NVML_SUCCESS)
        {
            api.Shutdown();
            return new UnavailableEnergyMeter(device, EnergySources.None, ReasonFor("opening the device", status));
        }
        if (api.DeviceGetName(handle, out var name) == NvmlReturn.NVML_SUCCESS)
            device += $" ({name})";
        return Open(new NvmlApiPower(api, handle), device, TimeProvider.System, PowerSamplePeriod);
    }

    /// <summary>Picks the total energy counter, else integrated power, else unavailable; takes ownership of <paramref name="nvml"/>.</summary>
    internal static IEnergyMeter Open(INvmlPower nvml, string device, TimeProvider time, TimeSpan samplePeriod)
    {
        var energy = nvml.GetTotalEnergyConsumption(out _);
        if (energy == NvmlReturn.NVML_SUCCESS)
            return new NvmlEnergyMeter(nvml, device, EnergySources.NvmlTotalEnergy, time, samplePeriod);
        var power = nvml.GetPowerUsage(out _);
        if (power == NvmlReturn.NVML_SUCCESS)
            return new NvmlEnergyMeter(nvml, device, EnergySources.NvmlIntegratedPower, time, samplePeriod);
        nvml.Dispose();
        return new UnavailableEnergyMeter(device, EnergySources.None,
            $"{ReasonFor("total energy", energy)}; {ReasonFor("power usage", power)}");
    }

    /// <summary>A reason in the vocabulary of the other meters for an NVML status.</summary>
    internal static string ReasonFor(string what, NvmlReturn status) => status switch
    {
        NvmlReturn.NVML_ERROR_NOT_SUPPORTED => $"not supported ({what}: {status})",
        NvmlReturn.NVML_ERROR_NO_PERMISSION => $"no permission ({what}: {status})",
        NvmlReturn.NVML_ERROR_DRIVER_NOT_LOADED or NvmlReturn.NVML_ERROR_LIBRARY_NOT_FOUND
            or NvmlReturn.NVML_ERROR_LIB_RM_VERSION_MISMATCH => $"no driver ({what}: {status})",
        NvmlReturn.NVML_ERROR_NOT_FOUND or NvmlReturn.NVML_ERROR_INVALID_ARGUMENT => $"no such device ({what}: {status})",
        _ => $"NVML error ({what}: {status})",
    };

    /// <inheritdoc/>
    public IEnergyWindow Start() => Source == EnergySources.NvmlTotalEnergy
        ? new TotalEnergyWindow(this)
        : new IntegratedPowerWindow(this);

    /// <inheritdoc/>
    public void Dispose() => _nvml.Dispose();

    private DeviceState ReadState()
    {
        double? limit = _nvml.GetEnforcedPowerLimit(out var milliwatts) == NvmlReturn.NVML_SUCCESS ? milliwatts / 1000.0 : null;
        uint? clock = _nvml.GetSmClock(out var megahertz) == NvmlReturn.NVML_SUCCESS ? megahertz : null;
        uint? temperature = _nvml.GetTemperature(out var celsius) == NvmlReturn.NVML_SUCCESS ? celsius : null;
        string? limits = _nvml.GetClockLimits(out var reasons) == NvmlReturn.NVML_SUCCESS ? DeviceState.ClockLimitNames(reasons) : null;
        return new DeviceState(limit, clock, temperature, limits);
    }

    private EnergyReading Reading(double? joules, string? failure, TimeSpan duration, DeviceState atStart)
    {
        if (joules is not { } measured || failure is not null || duration <= TimeSpan.Zero)
            return EnergyReading.Unavailable(Device, Source, failure ?? "empty window", duration);
        return EnergyReading.Measured(Device, Source, measured, duration, atStart, ReadState());
    }

    /// <summary>Two reads of the total energy counter.</summary>
    private sealed class TotalEnergyWindow : IEnergyWindow
    {
        private readonly NvmlEnergyMeter _meter;
        private readonly DeviceState _atStart;
        private readonly ulong _startMillijoules;
        private readonly long _started;
        private readonly string? _failure;
        private EnergyReading? _reading;

        public TotalEnergyWindow(NvmlEnergyMeter meter)
        {
            _meter = meter;
            _atStart = meter.ReadState();
            var status = meter._nvml.GetTotalEnergyConsumption(out _startMillijoules);
            if (status != NvmlReturn.NVML_SUCCESS)
                _failure = ReasonFor("total energy", status);
            _started = meter._time.GetTimestamp();
        }

        public EnergyReading Stop()
        {
            if (_reading is not null)
                return _reading;
            var status = _meter._nvml.GetTotalEnergyConsumption(out var endMillijoules);
            var duration = _meter._time.GetElapsedTime(_started);
            var failure = _failure ?? (status != NvmlReturn.NVML_SUCCESS ? ReasonFor("total energy", status) : null);
            var joules = EnergyMath.MillijoulesToJoules(_startMillijoules, endMillijoules);
            failure ??= joules is null ? "counter went backwards (driver reloaded during the window?)" : null;
            return _reading = _meter.Reading(joules, failure, duration, _atStart);
        }

        public void Dispose() => Stop();
    }

    /// <summary>Power read at the start, every sample period and at the stop, integrated by the trapezoid rule.</summary>
    internal sealed class IntegratedPowerWindow : IEnergyWindow
    {
        private readonly Lock _lock = new();
        private readonly NvmlEnergyMeter _meter;
        private readonly DeviceState _atStart;
        private readonly List<PowerSample> _samples = [];
        private readonly long _started;
        private readonly PeriodicSampler _sampler;
        private EnergyReading? _reading;

        public IntegratedPowerWindow(NvmlEnergyMeter meter)
        {
            _meter = meter;
            _atStart = meter.ReadState();
            _started = meter._time.GetTimestamp();
            Sample();
            _sampler = new PeriodicSampler(meter._time, meter._samplePeriod, Sample);
        }

        /// <summary>Records the power now; the timer calls it, and tests by hand. A failed read is skipped.</summary>
        internal void Sample()
        {
            lock (_lock)
            {
                if (_reading is null && _meter._nvml.GetPowerUsage(out var milliwatts) == NvmlReturn.NVML_SUCCESS)
                    _samples.Add(new PowerSample(_meter._time.GetElapsedTime(_started).TotalSeconds, milliwatts / 1000.0));
            }
        }

        public EnergyReading Stop()
        {
            _sampler.Dispose();
            lock (_lock)
            {
                if (_reading is null)
                {
                    Sample();
                    var duration = _meter._time.GetElapsedTime(_started);
                    _reading = _samples.Count < 2
                        ? _meter.Reading(null, $"too few power samples ({_samples.Count})", duration, _atStart)
                        : _meter.Reading(EnergyMath.TrapezoidOverWindow(CollectionsMarshal.AsSpan(_samples), duration.TotalSeconds), null, duration, _atStart);
                }
                return _reading;
            }
        }

        public void Dispose() => Stop();
    }
}
