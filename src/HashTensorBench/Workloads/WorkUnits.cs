namespace HashTensorBench.Workloads;

/// <summary>The units of work every measurement, report and benchmark counts in (rates are per second of them).</summary>
public static class WorkUnits
{
    /// <summary>One sha256d hash: one nonce (or version) tried.</summary>
    public const string Hash = "H";

    /// <summary>One floating-point operation: a GEMM of M×N×K counts 2·M·N·K.</summary>
    public const string Flop = "FLOP";
}
