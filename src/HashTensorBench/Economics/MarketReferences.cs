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

/// <summary>Published reference points for the report (shared/data/economics.md, collected 2026-11-25).</summary>
public static class MarketReferences
{
    /// <summary>The ASICs a GPU's sha256d competes with (Bitmain and Bitdeer specifications), from the built-in defaults file.</summary>
    public static IReadOnlyList<AsicReference> Asics => MarketDefaults.Builtin.Asics;

    // Name fragments as CUDA reports them, most specific first, with the middle of the typical range.
    private static readonly (string[] Fragments, double UsdPerHour, string Range, string AsOf)[] s_rentals =
    [
        (["H100", "PCIe"], 2.50, "2.1–2.9 USD/h (Lambda, RunPod)", "2026-05"),
        (["H100"], 2.65, "2.35–2.95 USD/h, SXM (SemiAnalysis, aimultiple)", "2026-03 to 2026-05"),
        (["H200"], 4.00, "3.5–4.5 USD/h (RunPod, market tiers)", "2026-03 to 2026-05"),
        (["B200"], 5.65, "5.3–6.0 USD/h (Silicon Data, RunPod)", "2026"),
        (["A100"], 1.30, "1.1–1.5 USD/h, 80 GB (Vast.ai)", "2026-06"),
        (["L40S"], 1.10, "0.8–1.4 USD/h (RunPod)", "2026-03"),
        (["4090"], 0.50, "0.34–0.69 USD/h (Vast.ai)", "2026-05 to 2026-06"),
        (["5090"], 0.90, "0.7–1.1 USD/h (Vast.ai)", "2026-06"),
    ];

    /// <summary>Every model's typical rent with its date, in one line for help text: <c>H100 PCIe 2.5 USD/h (2026-05), …</c>.</summary>
    public static string GpuRentalSummary => string.Join(", ", s_rentals.Select(r =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{string.Join(" ", r.Fragments)} {r.UsdPerHour:G} USD/h ({r.AsOf})")));

    /// <summary>The typical rental price of a GPU by its name, or null for a GPU (or CPU) the table does not know.</summary>
    public static MarketInput? GpuRental(string deviceName)
    {
        ArgumentNullException.ThrowIfNull(deviceName);
        foreach (var (fragments, usd, range, asOf) in s_rentals)
        {
            if (fragments.All(f => deviceName.Contains(f, StringComparison.OrdinalIgnoreCase)))
                return new MarketInput(usd, "USD/h", asOf, $"typical rent {range}");
        }
        return null;
    }
}
