using HashTensorBench.Economics;

namespace HashTensorBench.Tests.Economics;

public sealed class MarketDefaultsTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "htb-defaults-" + Guid.NewGuid().ToString("N") + ".json");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void The_built_in_file_holds_economics_md_figures_with_their_dates()
    {
        var d = MarketDefaults.Builtin;
        Assert.Equal(new DateOnly(2026, 12, 5), d.Collected);
        Assert.Equal(60_000, d.Get(Input.BtcPrice).Value);
        Assert.Equal(new DateOnly(2026, 6, 26), d.Get(Input.BtcPrice).Date);
        Assert.Equal(133.87e12, d.Get(Input.Difficulty).Value);
        // economics.md's suggested defaults for the site over time; its [estimate]s are the tool's assumptions.
        Assert.Equal(9, d.Get(Input.AsicPrice).Value);
        Assert.True(d.Get(Input.AsicPrice).IsAssumption);
        Assert.Equal(40_000, d.Get(Input.GpuServerPrice).Value);
        Assert.False(d.Get(Input.GpuServerPrice).IsAssumption);
        Assert.Equal(0.10, d.Get(Input.DiscountRate).Value);
        Assert.Equal(0.20, d.Get(Input.DifficultyGrowth).Value);
        Assert.Equal(-0.12, d.Get(Input.RentChange).Value);
        Assert.Equal(3, d.Get(Input.AsicLife).Value);
        Assert.Equal(955_584, d.Get(Input.Height).Value);
        Assert.Equal(9, d.Asics.Count);
        Assert.Equal(13.5, d.FindAsic("antminer s21xp").JoulesPerTerahash);
        // compare reads the same file.
        var compare = MarketInputs.ForCompare();
        Assert.Equal(d.Get(Input.BtcPrice), compare[Input.BtcPrice]);
        Assert.Equal(2.65 / 0.7945, compare[Input.PflopHourPrice].Value, 12);
        // The GPU table: CUDA's names find their entries, the most specific first, and the default GPU's figures are the GPU inputs' defaults.
        Assert.Equal("NVIDIA H100 SXM", d.FindGpu("NVIDIA H100 80GB HBM3")!.Model);
        Assert.Equal("NVIDIA H100 PCIe", d.FindGpu("NVIDIA H100 PCIe")!.Model);
        Assert.Equal(989e12, d.FindGpu("h200")!.Bf16);
        Assert.Null(d.FindGpu("AMD EPYC 9B45"));
        Assert.Equal(700, d.Get(Input.GpuWatts).Value);
        Assert.Equal(7.0e9, d.Get(Input.GpuHashRate).Value);
        Assert.Equal(d.DefaultGpu.Rent, d.Get(Input.GpuRent));
        Assert.All(d.Gpus, g => Assert.False(string.IsNullOrWhiteSpace(g.Source)));
        // compare prices each GPU at its own model's rent, so the file's H100 rent is not a common input there; site keeps it.
        Assert.Null(compare.Find(Input.GpuRent));
        Assert.Equal(2.65, MarketInputs.From(null)[Input.GpuRent].Value);
        // A copy beside the app is the template a user edits.
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, MarketDefaults.FileName)));
    }

    [Fact]
    public void Each_default_has_the_unit_its_input_declares_and_difficulty_has_one()
    {
        foreach (var input in Input.All.Where(i => !i.Optional))
            Assert.True(input.Unit == MarketDefaults.Builtin.Get(input).Unit, input.Key);
        Assert.Equal("× 2^32 hashes per block", MarketDefaults.Builtin.Get(Input.Difficulty).Unit);
    }

    [Fact]
    public void Age_counts_from_each_figures_date_and_stale_means_older_than_90_days()
    {
        var d = MarketDefaults.Builtin;
        // 2026-06-26 + 90 days = 2026-09-24.
        Assert.DoesNotContain(d.Stale(new DateOnly(2026, 9, 24)), s => s.Key == Input.BtcPrice.Key);
        Assert.Contains(d.Stale(new DateOnly(2026, 9, 25)), s => s.Key == Input.BtcPrice.Key && s.AgeDays == 91);
        // Rules and assumptions do not age.
        Assert.DoesNotContain(d.Stale(new DateOnly(2040, 1, 1)), s => s.Key is "subsidy" or "pue");
        Assert.Null(MarketInput.FromUser(1, "").AgeDays(new DateOnly(2040, 1, 1)));
    }

    [Fact]
    public void Only_dated_defaults_in_use_age_and_stale_ones_come_oldest_first()
    {
        var inputs = MarketInputs.ForCompare().With(Input.Difficulty, 1e14);
        var ages = InputAges.Of(inputs.All(), new DateOnly(2026, 11, 27));
        // The user's difficulty has no age; the fees of 2026-01-12 are older than the BTC price of 2026-06-26.
        Assert.DoesNotContain(ages.Ages, a => a.Key == Input.Difficulty.Key);
        Assert.Equal(("fees", 319), ages.Stale[0]);
        Assert.Contains(("btc-price", 154), ages.Stale);
        Assert.Equal(ages.Stale.OrderByDescending(s => s.AgeDays), ages.Stale);
        Assert.DoesNotContain(InputAges.Of(inputs.All(), new DateOnly(2026, 6, 26)).Stale, s => s.Key == Input.BtcPrice.Key);
    }

    [Fact]
    public void A_users_file_replaces_the_defaults_and_a_broken_one_is_refused()
    {
        File.WriteAllText(_file, """
            {"collected": "2027-01-02", "inputs": {"btc-price": {"value": 123456, "unit": "USD", "date": "2027-01-01", "as_of": "2027-01-01", "source": "my desk"}},
             "asics": [{"model": "Test Miner", "th_s": 100, "j_th": 10, "released": "2027"}]}
            """);
        var d = MarketDefaults.Load(_file);
        Assert.Equal(123456, d.Get(Input.BtcPrice).Value);
        Assert.Equal("Test Miner", d.DefaultAsic);
        // An older copy without an input takes the built-in one, and says so where the value's source is shown.
        var difficulty = d.Get(Input.Difficulty);
        Assert.Equal(133.87e12, difficulty.Value);
        Assert.Contains($"built-in default, as {_file} has no entry \"difficulty\"", difficulty.Source);
        Assert.Contains("Unknown ASIC model \"S99\"; known: Test Miner", Assert.Throws<ArgumentException>(() => d.FindAsic("S99")).Message);

        File.WriteAllText(_file, """{"collected": "2027-01-02"}""");
        Assert.Contains("is not valid", Assert.Throws<ArgumentException>(() => MarketDefaults.Load(_file)).Message);

        // A misspelt key is named with the file, not dropped.
        File.WriteAllText(_file, """
            {"collected": "2027-01-02", "inputs": {"btc-prise": {"value": 1, "unit": "USD", "date": null, "as_of": "x", "source": "y"}},
             "asics": [{"model": "Test Miner", "th_s": 100, "j_th": 10, "released": "2027"}]}
            """);
        string message = Assert.Throws<ArgumentException>(() => MarketDefaults.Load(_file)).Message;
        Assert.Contains(_file, message);
        Assert.Contains("unknown input \"btc-prise\"", message);
    }
}
