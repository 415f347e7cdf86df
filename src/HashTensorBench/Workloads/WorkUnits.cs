using HashTensorBench.Tensors;

namespace HashTensorBench.Workloads;

/// <summary>The units of work every measurement, report and benchmark counts in (rates are per second of them).</summary>
public static class WorkUnits
{
    /// <summary>One sha256d hash: one nonce (or version) tried.</summary>
    public const string Hash = "H";

    /// <summary>One floating-point operation: a GEMM of M×N×K counts 2·M·N·K.</summary>
    public const string Flop = "FLOP";

    /// <summary>One integer operation, counted as <see cref="Flop"/> is: an INT8 GEMM's 2·M·N·K (TOPS, not TFLOPS).</summary>
    public const string Op = "OP";

    /// <summary>The unit a GEMM of <paramref name="type"/> counts in: <see cref="Op"/> for integers, else <see cref="Flop"/>.</summary>
    public static string Of(GemmElementType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.IsExact ? Op : Flop;
    }

    /// <summary>Whether <paramref name="unit"/> counts GEMM operations (<see cref="Flop"/> or <see cref="Op"/>).</summary>
    public static bool IsGemm(string unit) => unit is Flop or Op;
}
