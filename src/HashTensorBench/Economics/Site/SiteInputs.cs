using System.Globalization;

namespace HashTensorBench.Economics.Site;

/// <summary>
/// Everything the per-MW site decision needs: the values of the site's inputs (<see cref="Input"/>: the market,
/// the site, the GPU measured by <c>htb compare</c> or its datasheet, capex, lives, growth, rates and risk), the
/// ASIC the site mines with and the GPU model it hosts. Every value carries its source.
/// </summary>
public sealed record SiteInputs
{
    /// <summary>The value of every input, by its declaration.</summary>
    public required MarketInputs Values { get; init; }

    /// <summary>The ASIC the site would mine with.</summary>
    public required AsicReference Asic { get; init; }

    /// <summary>The GPU model the site would host (a name from the reports, or the default's).</summary>
    public required string GpuModel { get; init; }

    /// <summary>The value of <paramref name="input"/>.</summary>
    public MarketInput this[InputDefinition input] => Values[input];

    /// <summary>A copy with <paramref name="input"/> set to <paramref name="value"/>.</summary>
    public SiteInputs With(InputDefinition input, MarketInput value) => this with { Values = Values.With(input, value) };

    /// <summary>A copy with the user's <paramref name="value"/> for <paramref name="input"/>.</summary>
    public SiteInputs With(InputDefinition input, double value) => this with { Values = Values.With(input, value) };

    /// <summary>
    /// The defaults of <paramref name="defaults"/> for an <paramref name="asicModel"/> site (the defaults' own ASIC when null)
    /// hosting <paramref name="gpuModel"/> from its datasheet (the defaults' own GPU, an H100 SXM, when null).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown ASIC or GPU model; the message lists the known ones.</exception>
    public static SiteInputs FromDefaults(MarketDefaults defaults, string? asicModel = null, string? gpuModel = null)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var inputs = new SiteInputs
        {
            Values = MarketInputs.From(defaults),
            Asic = defaults.FindAsic(asicModel ?? defaults.DefaultAsic),
            GpuModel = $"{defaults.DefaultGpu.Model} (datasheet)",
        };
        if (gpuModel is null)
            return inputs;
        var gpu = defaults.FindGpu(gpuModel);
        if (gpu is null)
            ThrowHelper.ThrowArgument(nameof(gpuModel), $"Unknown GPU model \"{gpuModel}\"; the datasheet table knows {string.Join(", ", defaults.Gpus.Select(g => g.Model))}.");
        var price = inputs[Input.GpuServerPrice];
        return (inputs with { GpuModel = $"{gpu.Model} (datasheet)" })
            .With(Input.GpuWatts, gpu.WattsInput(Input.GpuWatts))
            .With(Input.GpuHashWatts, gpu.WattsInput(Input.GpuHashWatts))
            .With(Input.GpuHashRate, gpu.HashRateInput)
            .With(Input.GpuRent, gpu.Rent)
            .With(Input.GpuServerPrice, gpu == defaults.DefaultGpu ? price
                : price with { Source = $"{price.Source}; an H100/H200-class price, as none was collected for the {gpu.Model}: set the GPU server price" });
    }

    /// <summary>
    /// The ASIC given by hand (<see cref="Input.AsicThs"/> and <see cref="Input.AsicJth"/>) in place of the table's model, where
    /// both are set; these inputs as they are where neither is.
    /// </summary>
    /// <exception cref="ArgumentException">Only one of the two is set.</exception>
    public SiteInputs WithGivenAsic()
    {
        var (ths, jth) = (Values.Find(Input.AsicThs), Values.Find(Input.AsicJth));
        if (ths is null && jth is null)
            return this;
        if (ths is null || jth is null)
            ThrowHelper.ThrowArgument((ths is null ? Input.AsicThs : Input.AsicJth).Key,
                $"An ASIC given by hand needs both its {Input.AsicThs.Label} and its {Input.AsicJth.Label}.");
        string model = string.Create(CultureInfo.InvariantCulture, $"ASIC given by hand ({ths.Value:G} TH/s, {jth.Value:G} J/TH)");
        return this with { Asic = new AsicReference(model, ths.Value, jth.Value, "as given") { Source = "set by the user" } };
    }

    /// <summary>
    /// Sets the BTC price that the given hashprice (USD per PH/s per day, before the pool fee) implies at
    /// the inputs' difficulty, subsidy and fees: the model prices mining from the BTC price throughout.
    /// </summary>
    public SiteInputs WithHashprice(MarketInput hashprice)
    {
        ArgumentNullException.ThrowIfNull(hashprice);
        double btcPerPhDay = SiteAnalysis.BtcPerPetahashDay(Values);
        double price = hashprice.Value / btcPerPhDay;
        return With(Input.Hashprice, hashprice).With(Input.BtcPrice, MarketInput.Derived(price, "USD", string.Create(CultureInfo.InvariantCulture,
            $"implied by the hashprice {hashprice.Value:G} USD per PH/s per day ({(hashprice.Origin == InputOrigin.User ? "set by the user" : hashprice.Source)}): {hashprice.Value:G} ÷ {btcPerPhDay:G6} BTC per PH/s per day = {price:F0} USD")));
    }

    /// <summary>
    /// The GPU that <c>htb compare</c> measured: the medians of <paramref name="model"/>'s devices replace the datasheet's
    /// power and hash rate, and its rent comes from the reference table; what the reports did not measure keeps its default, saying so.
    /// </summary>
    public SiteInputs WithMeasured(ModelSummary model)
    {
        ArgumentNullException.ThrowIfNull(model);
        string asOf = string.Join(", ", model.Devices.Select(d => d.Generated).Where(g => g.Length >= 10).Select(g => g[..10]).Distinct());
        MarketInput Measured(InputDefinition input, double? value, Func<MeasuredDevice, double?> select) => value is double v
            ? MarketInput.Measured(v, input.Unit, asOf, model.SourceOf(select))
            : this[input] with { Source = $"not measured in the reports for {model.Model}; default: {this[input].Source}" };
        return (this with { GpuModel = model.Model })
            .With(Input.GpuWatts, Measured(Input.GpuWatts, model.MedianGemmWatts, d => d.GemmWatts))
            .With(Input.GpuHashWatts, Measured(Input.GpuHashWatts, model.MedianHashWatts, d => d.HashWatts))
            .With(Input.GpuHashRate, Measured(Input.GpuHashRate, model.MedianHashRate, d => d.HashRate))
            .With(Input.GpuRent, MarketReferences.GpuRental(model.Model)
                ?? MarketInput.Unavailable(Input.GpuRent.Unit, $"{model.Model} has no rental market in the reference table: set the GPU rent"));
    }

    /// <summary>Every input the site takes that has a value or a reason, in <see cref="Input.All"/>'s order.</summary>
    public IEnumerable<(InputDefinition Input, MarketInput Value)> All() => Values.All(InputUse.Site);

    /// <summary>
    /// Checks every value against its bounds; every input must have a value but the GPU's rent and sha256d rate (unknown
    /// for a GPU without a rental market or a published rate, which leaves GPU cloud or GPU hashing unvalued).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An input is out of range or missing; the parameter name is its key.</exception>
    public SiteInputs Validate()
    {
        Values.Validate(Input.For(InputUse.Site).Where(d => !d.Optional && d != Input.GpuRent && d != Input.GpuHashRate));
        return this;
    }

    /// <summary>The inputs the site decision rests on that are the tool's assumptions rather than published figures.</summary>
    public IEnumerable<InputDefinition> Assumptions() => All().Where(p => p.Value.IsAssumption).Select(p => p.Input);
}
