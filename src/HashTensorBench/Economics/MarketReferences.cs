namespace HashTensorBench.Economics;

/// <summary>An ASIC miner's published rate and efficiency, to set a device's J/TH beside.</summary>
/// <param name="Model">The model.</param>
/// <param name="TerahashesPerSecond">Rated hash rate.</param>
/// <param name="JoulesPerTerahash">Rated efficiency.</param>
/// <param name="Released">When it came out.</param>
public sealed record AsicReference(string Model, double TerahashesPerSecond, double JoulesPerTerahash, string Released)
{
    /// <summary>Where the figures were published.</summary>
    public string Source { get; init; } = "";

    /// <summary>Power at the wall: TH/s × J/TH.</summary>
    public double Watts => TerahashesPerSecond * JoulesPerTerahash;
}

/// <summary>A GPU's datasheet figures, its typical rent and its sha256d rate where one is published, for a site without measurements.</summary>
/// <param name="Model">The model, such as <c>NVIDIA H100 SXM</c>.</param>
/// <param name="Match">Fragments of the name CUDA reports that all appear in this model's (<c>H100</c>, <c>PCIe</c>); the table lists the most specific first.</param>
/// <param name="Watts">Board power, W.</param>
/// <param name="Fp16">Dense FP16 tensor rate with FP32 accumulation, FLOP/s.</param>
/// <param name="Bf16">Dense BF16 tensor rate with FP32 accumulation, FLOP/s.</param>
/// <param name="Int8">Dense INT8 tensor rate, OP/s.</param>
/// <param name="Sha256dRate">sha256d hashes per second, derived from a published hashcat rate; null where none was found.</param>
/// <param name="Rent">A typical rent per hour, with its date and range.</param>
/// <param name="Source">Where the figures were published.</param>
public sealed record GpuReference(string Model, IReadOnlyList<string> Match, double Watts, double Fp16, double Bf16, double Int8, double? Sha256dRate,
    MarketInput Rent, string Source)
{
    /// <summary>Its board power as a default input (for serving AI and for hashing alike).</summary>
    public MarketInput WattsInput(InputDefinition input) => new(Watts, input.Unit, "datasheet", $"{Model}: {Source}");

    /// <summary>Its sha256d rate as a default input, or unavailable where no rate was published.</summary>
    public MarketInput HashRateInput => Sha256dRate is double rate
        ? new MarketInput(rate, Input.GpuHashRate.Unit, "derived", $"{Model}: {Source}")
        : MarketInput.Unavailable(Input.GpuHashRate.Unit, $"no published sha256 rate for the {Model}: set the GPU's sha256d rate");

    /// <summary>Whether <paramref name="deviceName"/> (as CUDA reports it, or as a user types it) is this model.</summary>
    public bool Matches(string deviceName) => Match.All(f => deviceName.Contains(f, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Published reference points for the reports, from the built-in defaults file.</summary>
public static class MarketReferences
{
    /// <summary>The ASICs a GPU's sha256d competes with (Bitmain and Bitdeer specifications).</summary>
    public static IReadOnlyList<AsicReference> Asics => MarketDefaults.Builtin.Asics;

    /// <summary>Every GPU's typical rent with its date, in one line for help text: <c>H100 PCIe 2.5 USD/h (2026-05), …</c>.</summary>
    public static string GpuRentalSummary => string.Join(", ", MarketDefaults.Builtin.Gpus.Select(g =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{g.Model.Replace("NVIDIA ", "", StringComparison.Ordinal)} {g.Rent.Value:G} USD/h ({g.Rent.AsOf})")));

    /// <summary>The typical rent of a GPU by its name, or null for a GPU (or CPU) the table does not know.</summary>
    public static MarketInput? GpuRental(string deviceName) => MarketDefaults.Builtin.FindGpu(deviceName)?.Rent;
}
