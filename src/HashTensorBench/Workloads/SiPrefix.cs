namespace HashTensorBench.Workloads;

/// <summary>The SI prefix (k, M, G, T, P) that brings a rate below 1000, for the library's messages and the reports alike.</summary>
public static class SiPrefix
{
    /// <summary>
    /// <paramref name="value"/> divided by the largest power of 1000 up to 10¹⁵ that is not above its magnitude, and that
    /// power's prefix ("" below 1000): 3.43·10⁶ → (3.43, "M").
    /// </summary>
    public static (double Scaled, string Prefix) Of(double value)
    {
        int power = value == 0 || !double.IsFinite(value) ? 0 : Math.Clamp((int)Math.Floor(Math.Log10(Math.Abs(value)) / 3), 0, 5);
        return (value / Math.Pow(1000, power), power == 0 ? "" : " kMGTP"[power].ToString());
    }
}
