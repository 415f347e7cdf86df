using System.Text;
using HashTensorBench.Comparison;
using HashTensorBench.Economics;
using HashTensorBench.Energy;
using HashTensorBench.Tensors;
using HashTensorBench.Tests.Cli;
using HashTensorBench.Tests.TestData;
using HashTensorBench.Workloads;

namespace HashTensorBench.Tests.Comparison;

/// <summary><c>report.json</c> through the library: written by <see cref="ReportJson"/>, read back by <see cref="ReportJsonReader"/>.</summary>
public sealed class ReportJsonTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "htb-reportjson-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private static TimedRun Run(string device, string unit, double perSecond, EnergyReading energy) => TestRuns.Steady(device, unit, perSecond, energy);

    /// <summary>
    /// A GPU with measured power (one GEMM failed), and a CPU whose power the user gave and whose runs counted no energy:
    /// every source a figure can have (measured, derived, unavailable, given; default and user inputs).
    /// </summary>
    internal static ComparisonReport Sample()
    {
        const string h100 = "NVIDIA H100 80GB HBM3";
        var inputs = MarketInputs.ForCompare().With(Input.BtcPrice, MarketInput.FromUser(95_000, "USD/BTC"));
        var gpuEnergy = EnergyReading.Measured("gpu 0", EnergySources.NvmlTotalEnergy, 690 * 12, TimeSpan.FromSeconds(12),
            new DeviceState(700, 1980, 45), new DeviceState(700, 1755, 70));
        var gpu = ComparisonReport.Price("cuda:0", h100,
        [
            new WorkloadResult("sha256d", "H", null, Run("cuda:0", "H", 7e9, gpuEnergy), null),
            new WorkloadResult("gemm fp16 8192x8192x8192", "FLOP", GemmElementType.Fp16, Run("cuda:0", "FLOP", 500e12, gpuEnergy), null),
            new WorkloadResult("gemm fp32 8192x8192x8192", "FLOP", GemmElementType.Fp32, null, "cuda:0: out of memory, \"8 GiB\" asked"),
        ], inputs.With(Input.GpuRent, MarketReferences.GpuRental(h100)!), GemmElementType.Fp16);
        var noEnergy = EnergyReading.Unavailable("cpu", "rapl", "RAPL is not readable here");
        var cpu = ComparisonReport.Price("cpu", "AMD EPYC 9B45",
        [
            new WorkloadResult("sha256d", "H", null, Run("cpu", "H", 6e7, noEnergy), null),
            new WorkloadResult("gemm fp16 1024x1024x1024", "FLOP", GemmElementType.Fp16, Run("cpu", "FLOP", 4e11, noEnergy), null),
        ], inputs.Without(Input.GpuRent), GemmElementType.Fp16, givenWatts: 150);
        return new ComparisonReport(new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero), TimeSpan.FromSeconds(12), Quick: false, Cancelled: true,
            "AMD EPYC 9B45", "cuda:0 NVIDIA H100 80GB HBM3", inputs, GemmElementType.Fp16, [gpu, cpu]);
    }

    private static ReportDocument RoundTrip(ComparisonReport report)
    {
        using var stream = new MemoryStream();
        ReportJson.Write(stream, report);
        stream.Position = 0;
        return ReportJsonReader.Read(stream, "report.json");
    }

    [Fact]
    public void Every_figure_round_trips_with_its_value_unit_source_and_note()
    {
        var report = Sample();
        var read = RoundTrip(report);

        Assert.Equal(ReportJson.Version, read.Version);
        Assert.Equal(report.Generated, DateTimeOffset.Parse(read.Generated, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(report.WorkloadDuration.TotalSeconds, read.WorkloadSeconds);
        Assert.Equal((report.Quick, report.Cancelled), (read.Quick, read.Cancelled));
        Assert.Equal("cancelled before every workload ran", read.Partial);
        Assert.Equal((report.Cpu, report.CudaSummary, report.AiFormat.Name), (read.Cpu, read.Cuda, read.AiFormat));
        Assert.Equal(report.Unused, read.UnusedInputs);
        Assert.Equal(report.Ages.Stale.Select(s => (s.Key, s.AgeDays)), read.Stale);

        var inputs = report.Inputs.All().ToArray();
        Assert.Equal(inputs.Length, read.Inputs.Count);
        foreach (var ((definition, input), got) in inputs.Zip(read.Inputs))
            AssertInput(definition.Label, input, got);
        Assert.Contains(read.Inputs, i => i.Figure.Source == "user");

        Assert.Equal(report.Devices.Count, read.Devices.Count);
        foreach (var (device, got) in report.Devices.Zip(read.Devices))
        {
            Assert.Equal((device.Id, device.Name), (got.Id, got.Name));
            Assert.Equal(device.Workloads.Count, got.Workloads.Count);
            foreach (var (workload, w) in device.Workloads.Zip(got.Workloads))
                AssertWorkload(workload, w);
            if (device.Inputs.Find(Input.GpuRent) is { } rent)
                AssertInput("GPU rental", rent, got.GpuRental);
            else
                Assert.Null(got.GpuRental);
            AssertFigure(got.JoulesPerTerahash, device.JoulesPerTerahash, "J/TH", device.JoulesPerTerahash is null ? "unavailable" : "derived");
            AssertUse(device.Hashing, got.Hashing);
            AssertUse(device.Ai, got.Ai);
            Assert.Equal(device.AiWorkload?.Workload, got.AiWorkload);
            if (device.Decision is not { } decision)
            {
                Assert.Null(got.Decision);
                continue;
            }
            var d = Assert.IsType<ReportDecision>(got.Decision);
            Assert.Equal((decision.Winner, decision.Basis, decision.BothLoseMoney), (d.Winner, d.Basis, d.BothLoseMoney));
            AssertFigure(d.Margin, decision.MarginUsdPerDay, "USD/day", "derived");
            AssertPriced(d.BreakEvenBtcPrice, decision.BreakEvenBtcPrice, "USD/BTC");
            if (decision.BreakEvenRentalPerHour is { } rental)
                AssertPriced(d.BreakEvenRental, rental, "USD/h");
            else
                Assert.Null(d.BreakEvenRental);
        }
        // The sample reaches every source a device's figure can have.
        var sources = read.Devices.SelectMany(d => d.Workloads.SelectMany(w => new[] { w.Watts, w.PerJoule }).Append(d.Hashing?.Watts))
            .OfType<ReportFigure>().Select(f => f.Source).ToHashSet();
        Assert.Superset(new HashSet<string> { "measured", "derived", "unavailable", "given" }, sources);
    }

    private static void AssertWorkload(WorkloadResult workload, ReportWorkload read)
    {
        Assert.Equal(workload.Workload, read.Workload);
        if (workload.Run is not { } run)
        {
            Assert.False(read.IsMeasured);
            Assert.Equal(workload.Error, read.Reason);
            Assert.Null(read.Rate);
            return;
        }
        Assert.True(read.IsMeasured);
        Assert.Equal(run.Device, read.Implementation);
        AssertFigure(read.Work, run.Work, workload.Unit, "measured");
        AssertFigure(read.Seconds, run.Elapsed.TotalSeconds, "s", "measured");
        AssertFigure(read.Rate, run.Windows.Median, workload.Unit + "/s", "measured");
        var energy = run.Energy;
        string? reason = energy.UnavailableReason;
        AssertFigure(read.Joules, energy.Joules, "J", reason is null ? "measured" : "unavailable", reason ?? energy.Source);
        AssertFigure(read.Watts, energy.AverageWatts, "W", reason is null ? "measured" : "unavailable", reason ?? energy.Source);
        AssertFigure(read.PerJoule, run.WorkPerJoule, workload.Unit + "/J", run.WorkPerJoule is null ? "unavailable" : "derived");
    }

    private static void AssertUse(UsePricing? use, ReportUse? read)
    {
        if (use is null)
        {
            Assert.Null(read);
            return;
        }
        Assert.NotNull(read);
        AssertFigure(read.Watts, use.Watts, "W", use.Watts is null ? "unavailable" : use.PowerSource == PowerSource.Given ? "given" : "measured");
        AssertPriced(read.Revenue, use.Revenue, "USD/day");
        AssertPriced(read.Electricity, use.Electricity, "USD/day");
        AssertPriced(read.Profit, use.Profit, "USD/day");
        AssertFigure(read.ProfitPerMWh, use.ProfitPerMWh, "USD/MWh", use.ProfitPerMWh is null ? "unavailable" : "derived");
    }

    private static void AssertPriced(ReportFigure? read, PricedFigure figure, string unit) =>
        AssertFigure(read, figure.UsdPerDay, unit, figure.UsdPerDay is null ? "unavailable" : "derived", figure.Arithmetic);

    private static void AssertInput(string name, MarketInput input, ReportInput? read)
    {
        Assert.NotNull(read);
        Assert.Equal(name, read.Name);
        AssertFigure(read.Figure, input.HasValue ? input.Value : null, input.Unit, input.Origin.ToString().ToLowerInvariant(), input.Source);
        Assert.Equal(input.Origin is InputOrigin.Default or InputOrigin.User or InputOrigin.Measured ? input.AsOf : null, read.AsOf);
    }

    // Values compare exactly: the writer's shortest round-trip form loses no bit.
    private static void AssertFigure(ReportFigure? read, double? value, string unit, string source, string? note = null)
    {
        Assert.NotNull(read);
        Assert.Equal(value, read.Value);
        Assert.Equal(unit, read.Unit);
        Assert.Equal(source, read.Source);
        if (note is not null)
            Assert.Equal(note, read.Note);
    }

    [Fact]
    public void A_report_of_a_newer_version_is_refused_in_one_line_and_one_without_a_version_is_read_as_version_1()
    {
        Directory.CreateDirectory(_folder);
        using var stream = new MemoryStream();
        ReportJson.Write(stream, Sample());
        string json = Encoding.UTF8.GetString(stream.ToArray());
        string versioned = $"\"version\": {ReportJson.Version},";
        Assert.Contains(versioned, json);

        string newer = Path.Combine(_folder, "newer.json");
        File.WriteAllText(newer, json.Replace(versioned, $"\"version\": {ReportJson.Version + 1},", StringComparison.Ordinal));
        var refused = Assert.Throws<ArgumentException>(() => ReportJsonReader.Read(newer));
        Assert.StartsWith($"{newer} is a report of version {ReportJson.Version + 1}; this htb reads version {ReportJson.Version} and older", refused.Message);
        CliRun.Of("site", "--output", Path.Combine(_folder, "site"), "--reports", newer)
            .AssertUsageError($"--reports: {newer} is a report of version {ReportJson.Version + 1}");

        string older = Path.Combine(_folder, "older.json");
        File.WriteAllText(older, json.Replace(versioned, "", StringComparison.Ordinal));
        Assert.Equal(1, ReportJsonReader.Read(older).Version);
    }
}
