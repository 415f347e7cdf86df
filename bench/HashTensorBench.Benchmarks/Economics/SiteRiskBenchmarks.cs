using BenchmarkDotNet.Attributes;
using HashTensorBench.Economics;
using HashTensorBench.Economics.Site;

namespace HashTensorBench.Benchmarks.Economics;

/// <summary>
/// The site risk engine as <c>htb site --years 15</c> runs it by default: 10,000 paths from seed 1 on the built-in inputs,
/// each of the 4 uses priced over 180 months on every path, on every core. The target is under 1 s on 2 cores.
/// </summary>
public class SiteRiskBenchmarks
{
    private const int Paths = 10_000;
    private const ulong Seed = 1;

    private SiteModel _model = null!;

    [GlobalSetup]
    public void Setup() => _model = new SiteModel(SiteInputs.FromDefaults(MarketDefaults.Builtin).With(Input.Years, 15),
        new SiteOptions { Start = new DateOnly(2026, 12, 1) });

    [Benchmark]
    public SiteRiskResult Run() => SiteRisk.Run(_model, Paths, Seed);
}
