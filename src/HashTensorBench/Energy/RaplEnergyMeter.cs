using System.Globalization;
using System.Text.RegularExpressions;

namespace HashTensorBench.Energy;

/// <summary>
/// The CPU packages' energy from Linux powercap RAPL counters (<c>/sys/class/powercap/intel-rapl:N</c>,
/// whose <c>name</c> is <c>package-N</c>; AMD Zen exposes the same tree), summed over packages.
/// </summary>
public sealed partial class RaplEnergyMeter : IEnergyMeter
{
    /// <summary>Where Linux puts the powercap tree.</summary>
    public const string DefaultRoot = "/sys/class/powercap";

    /// <summary>The reason given when <c>energy_uj</c> cannot be read.</summary>
    public const string NoPermissionReason = "no permission (energy_uj is readable by root only on modern kernels)";

    // The hardware counters are 32 bits of energy units, so they wrap after about 2^32 units: 262 kJ with
    // Intel's usual 61 µJ unit, 65.5 kJ with AMD Zen's 15.3 µJ, which takes at least 65 s even at 1 kW.
    // Reading every second keeps every interval far below half a wrap period, so an interval holds at
    // most one wrap (which EnergyMath.CounterDelta assumes) however long the window; the reads cost
    // microseconds on a timer thread.
    private static readonly TimeSpan SamplePeriod = TimeSpan.FromSeconds(1);

    private readonly Zone[] _zones;
    private readonly Func<string, string> _readFile;
    private readonly TimeProvider _time;
    private readonly TimeSpan _samplePeriod;

    private RaplEnergyMeter(Zone[] zones, Func<string, string> readFile, TimeProvider time, TimeSpan samplePeriod)
    {
        _zones = zones;
        _readFile = readFile;
        _time = time;
        _samplePeriod = samplePeriod;
        Device = "cpu " + string.Join('+', zones.Select(zone => zone.Name));
    }

    /// <inheritdoc/>
    public string Device { get; }

    /// <inheritdoc/>
    public string Source => EnergySources.Rapl;

    /// <inheritdoc/>
    public string? UnavailableReason => null;

    /// <summary>The package zones summed, by their <c>name</c> (<c>package-0</c>, …).</summary>
    public IReadOnlyList<string> Packages => _zones.Select(zone => zone.Name).ToArray();

    /// <summary>
    /// Opens the package counters under <paramref name="root"/>, or returns an <see cref="UnavailableEnergyMeter"/>
    /// that says why it cannot (no powercap zone, no permission, unreadable counter).
    /// </summary>
    /// <param name="root">The powercap folder; tests point it at a fake tree.</param>
    public static IEnergyMeter Open(string root = DefaultRoot) => Open(root, File.ReadAllText, TimeProvider.System, SamplePeriod);

    internal static IEnergyMeter Open(string root, Func<string, string> readFile, TimeProvider time, TimeSpan samplePeriod)
    {
        if (!Directory.Exists(root))
            return Unavailable($"no powercap zone ({root} does not exist: no RAPL driver, or a virtual machine that hides it)");
        try
        {
            var zones = new List<Zone>();
            foreach (var folder in Directory.EnumerateDirectories(root, "intel-rapl:*"))
            {
                // intel-rapl:N is a package or a platform zone; intel-rapl:N:M are its subzones (core,
                // uncore, dram), already inside the package's figure.
                if (!TopLevelZone().IsMatch(Path.GetFileName(folder)))
                    continue;
                var name = readFile(Path.Combine(folder, "name")).Trim();
                if (!name.StartsWith("package-", StringComparison.Ordinal))
                    continue;
                var range = ParseCounter(readFile(Path.Combine(folder, "max_energy_range_uj")));
                var energyPath = Path.Combine(folder, "energy_uj");
                ParseCounter(readFile(energyPath));
                zones.Add(new Zone(name, energyPath, range));
            }
            if (zones.Count == 0)
                return Unavailable($"no powercap zone (no intel-rapl package zone under {root})");
            zones.Sort((x, y) => string.CompareOrdinal(x.Name, y.Name));
            return new RaplEnergyMeter([.. zones], readFile, time, samplePeriod);
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            return Unavailable(ReasonFor(e));
        }
    }

    /// <inheritdoc/>
    public IEnergyWindow Start() => new Window(this);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private static UnavailableEnergyMeter Unavailable(string reason) => new("cpu", EnergySources.Rapl, reason);

    private static bool IsReadFailure(Exception e) => e is IOException or UnauthorizedAccessException or FormatException or OverflowException;

    private static string ReasonFor(Exception e) =>
        e is UnauthorizedAccessException ? NoPermissionReason : $"unreadable counter ({e.Message})";

    private static ulong ParseCounter(string text) => ulong.Parse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    private ulong Read(Zone zone) => ParseCounter(_readFile(zone.EnergyPath));

    [GeneratedRegex(@"^intel-rapl:\d+$")]
    private static partial Regex TopLevelZone();

    private sealed record Zone(string Name, string EnergyPath, ulong Range);

    /// <summary>A window: the counters read at the start, then every sample period and at the stop.</summary>
    internal sealed class Window : IEnergyWindow
    {
        private readonly Lock _lock = new();
        private readonly RaplEnergyMeter _meter;
        private readonly ulong[] _last;
        private readonly long _started;
        private readonly PeriodicSampler? _sampler;
        private ulong _microjoules;
        private string? _failure;
        private EnergyReading? _reading;

        public Window(RaplEnergyMeter meter)
        {
            _meter = meter;
            _last = new ulong[meter._zones.Length];
            try
            {
                for (int i = 0; i < _last.Length; i++)
                    _last[i] = meter.Read(meter._zones[i]);
            }
            catch (Exception e) when (IsReadFailure(e))
            {
                _failure = ReasonFor(e);
            }
            _started = meter._time.GetTimestamp();
            if (_failure is null)
                _sampler = new PeriodicSampler(meter._time, meter._samplePeriod, Sample);
        }

        /// <summary>Adds every zone's increase since the last read; the timer calls it, and tests by hand.</summary>
        internal void Sample()
        {
            lock (_lock)
            {
                if (_reading is not null || _failure is not null)
                    return;
                try
                {
                    for (int i = 0; i < _last.Length; i++)
                    {
                        var zone = _meter._zones[i];
                        var current = _meter.Read(zone);
                        _microjoules += EnergyMath.CounterDelta(_last[i], current, zone.Range);
                        _last[i] = current;
                    }
                }
                catch (Exception e) when (IsReadFailure(e))
                {
                    _failure = ReasonFor(e);
                }
            }
        }

        public EnergyReading Stop()
        {
            _sampler?.Dispose();
            lock (_lock)
            {
                if (_reading is null)
                {
                    Sample();
                    var duration = _meter._time.GetElapsedTime(_started);
                    _reading = _failure is null && duration > TimeSpan.Zero
                        ? EnergyReading.Measured(_meter.Device, EnergySources.Rapl, _microjoules / 1e6, duration)
                        : EnergyReading.Unavailable(_meter.Device, EnergySources.Rapl, _failure ?? "empty window", duration);
                }
                return _reading;
            }
        }

        public void Dispose() => Stop();
    }
}
