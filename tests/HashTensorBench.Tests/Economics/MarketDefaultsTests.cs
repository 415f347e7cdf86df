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
        Assert.Equal(new DateOnly(2026, 11, 27), d.Collected);
        Assert.Equal(60_000, d.Get("btc-price").Value);
        Assert.Equal(new DateOnly(2026, 6, 26), d.Get("btc-price").Date);
        Assert.Equal(133.87e12, d.Get("difficulty").Value);
        Assert.False(d.Get("asic-price").HasValue);
        Assert.Equal(9, d.Asics.Count);
        Assert.Equal(13.5, d.FindAsic("antminer s21xp").JoulesPerTerahash);
        // compare reads the same file.
        var compare = new MarketInputs();
        Assert.Equal(d.Get("btc-price"), compare.BtcPrice);
        Assert.Equal(2.65 / 0.79, compare.PflopHourPrice.Value, 12);
        // A copy beside the app is the template a user edits.
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, MarketDefaults.FileName)));
    }

    [Fact]
    public void Age_counts_from_each_figures_date_and_stale_means_older_than_90_days()
    {
        var d = MarketDefaults.Builtin;
        // 2026-06-26 + 90 days = 2026-09-24.
        Assert.DoesNotContain(d.Stale(new DateOnly(2026, 9, 24)), s => s.Key == "btc-price");
        Assert.Contains(d.Stale(new DateOnly(2026, 9, 25)), s => s.Key == "btc-price" && s.AgeDays == 91);
        // Rules and assumptions do not age.
        Assert.DoesNotContain(d.Stale(new DateOnly(2040, 1, 1)), s => s.Key is "subsidy" or "pue");
        Assert.Null(MarketInput.FromUser(1, "").AgeDays(new DateOnly(2040, 1, 1)));
    }

    [Fact]
    public void A_users_file_replaces_the_defaults_and_a_broken_one_is_refused()
    {
        File.WriteAllText(_file, """
            {"collected": "2027-01-02", "inputs": {"btc-price": {"value": 123456, "unit": "USD", "date": "2027-01-01", "as_of": "2027-01-01", "source": "my desk"}},
             "asics": [{"model": "Test Miner", "th_s": 100, "j_th": 10, "released": "2027"}]}
            """);
        var d = MarketDefaults.Load(_file);
        Assert.Equal(123456, d.Get("btc-price").Value);
        Assert.Equal("Test Miner", d.DefaultAsic);
        Assert.Contains("no entry \"difficulty\"", Assert.Throws<FormatException>(() => d.Get("difficulty")).Message);
        Assert.Contains("Unknown ASIC model \"S99\"; known: Test Miner", Assert.Throws<ArgumentException>(() => d.FindAsic("S99")).Message);

        File.WriteAllText(_file, """{"collected": "2027-01-02"}""");
        Assert.Contains("is not valid", Assert.Throws<ArgumentException>(() => MarketDefaults.Load(_file)).Message);
    }
}
