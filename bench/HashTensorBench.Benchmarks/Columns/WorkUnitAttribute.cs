using HashTensorBench.Workloads;

namespace HashTensorBench.Benchmarks.Columns;

/// <summary>
/// What one benchmark operation does, for the throughput and work-per-joule figures. BenchmarkDotNet's
/// operation is one invoke divided by <c>[Benchmark(OperationsPerInvoke = N)]</c>; this says how much
/// work of which unit that is: <see cref="PerOperation"/> times the values of the
/// <see cref="TimesParameters"/>. For example a nonce search of 2^20 nonces per invoke is
/// <c>[Benchmark(OperationsPerInvoke = 1 &lt;&lt; 20)] [WorkUnit(WorkUnitAttribute.Hash)]</c>, and an
/// M×N×K matrix multiply is <c>[WorkUnit(WorkUnitAttribute.Flop, PerOperation = 2, TimesParameters = ["M", "N", "K"])]</c>.
/// On a method it overrides one on the class.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true)]
public sealed class WorkUnitAttribute(string unit) : Attribute
{
    /// <summary>Double SHA-256 hashes: H/s, H/J.</summary>
    public const string Hash = WorkUnits.Hash;

    /// <summary>Floating-point operations (a multiply-add is two): FLOP/s, FLOP/J.</summary>
    public const string Flop = WorkUnits.Flop;

    /// <summary>The unit's symbol, as the column headers show it (<c>H</c> gives <c>H/s</c> and <c>H/J</c>).</summary>
    public string Unit { get; } = unit;

    /// <summary>Units of work in one operation, before <see cref="TimesParameters"/>; 1 by default.</summary>
    public double PerOperation { get; set; } = 1;

    /// <summary>Names of <c>[Params]</c> or arguments whose values multiply <see cref="PerOperation"/>.</summary>
    public string[] TimesParameters { get; set; } = [];
}
