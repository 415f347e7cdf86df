using System.Numerics;

namespace HashTensorBench.Economics.Risk;

/// <summary>
/// The spread of a value over Monte Carlo paths: the 10th, 50th and 90th percentiles and the probability of losing
/// money.
/// </summary>
/// <remarks>
/// A quantile q of n values is numpy's default ('linear', Hyndman and Fan's type 7): the order statistics
/// x(0) ≤ … ≤ x(n−1) interpolated linearly at position q·(n − 1), so 1 … 11 gives P10 = 2, P50 = 6, P90 = 10, and
/// 1 … 10 gives P50 = 5.5. The order statistics are found by selection (quickselect, falling back to a sort where
/// partitions stay lopsided), expected O(n), rather than by sorting: 286 mixes of 10,000 paths each would spend
/// most of their time in sorts.
/// </remarks>
/// <param name="P10">The value that 10 % of paths fall below: the bad case.</param>
/// <param name="P50">The median.</param>
/// <param name="P90">The value that 10 % of paths exceed: the good case.</param>
/// <param name="ProbabilityOfLoss">The fraction of paths whose value is below 0 (0 itself is not a loss).</param>
public readonly record struct Quantiles(double P10, double P50, double P90, double ProbabilityOfLoss)
{
    /// <summary>The quantiles of <paramref name="values"/>, which it reorders (copy them first to keep their order).</summary>
    /// <exception cref="ArgumentException">The span is empty or holds a value that is not finite.</exception>
    public static Quantiles Of(Span<double> values)
    {
        int losses = CountLosses(values);
        // Each selection leaves the larger values after its position, so the next, higher quantile selects
        // within that tail only.
        double p10 = Select(values, 0, 0.1, out int k10);
        double p50 = Select(values, k10, 0.5, out int k50);
        double p90 = Select(values, k50, 0.9, out _);
        return new Quantiles(p10, p50, p90, (double)losses / values.Length);
    }

    /// <summary>The quantile <paramref name="q"/> (0 to 1) of <paramref name="values"/>, which it reorders.</summary>
    /// <exception cref="ArgumentException">The span is empty or holds a value that is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="q"/> is outside 0 to 1.</exception>
    public static double At(Span<double> values, double q)
    {
        if (!(q is >= 0 and <= 1))
            ThrowHelper.ThrowArgumentOutOfRange(nameof(q), "A quantile is from 0 to 1.");
        CountLosses(values);
        return Select(values, 0, q, out _);
    }

    /// <summary>Checks the values and counts those below 0.</summary>
    private static int CountLosses(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
            ThrowHelper.ThrowArgument(nameof(values), "There are no values to take quantiles of.");
        int losses = 0;
        foreach (double value in values)
        {
            if (!double.IsFinite(value))
                ThrowHelper.ThrowArgument(nameof(values), "Every value must be finite: one is NaN or infinite.");
            if (value < 0)
                losses++;
        }
        return losses;
    }

    /// <summary>
    /// The quantile <paramref name="q"/> where <paramref name="values"/>[<paramref name="from"/>..] already holds the
    /// largest values; <paramref name="k"/> is the order statistic left in place, all larger ones after it.
    /// </summary>
    private static double Select(Span<double> values, int from, double q, out int k)
    {
        double position = q * (values.Length - 1);
        k = (int)position;
        double fraction = position - k;
        SelectInPlace(values[from..], k - from);
        double low = values[k];
        if (fraction == 0)
            return low;
        // The next order statistic is the smallest of those after k (there is one: fraction > 0 means k < n − 1).
        double high = Min(values[(k + 1)..]);
        return low + (fraction * (high - low));
    }

    /// <summary>
    /// Reorders <paramref name="values"/> so that [<paramref name="k"/>] is its k-th smallest, none larger before it
    /// and none smaller after it: Hoare's quickselect with a median-of-three pivot (which also places the sentinels
    /// the scans stop on), sorting small or stubborn ranges.
    /// </summary>
    internal static void SelectInPlace(Span<double> values, int k)
    {
        int lo = 0, hi = values.Length - 1;
        // Introselect: after twice log2(n) partitions that did not shrink the range enough, sort what is left.
        int budget = (2 * BitOperations.Log2((uint)values.Length)) + 4;
        while (hi - lo > 16)
        {
            if (--budget < 0)
                break;
            int mid = lo + ((hi - lo) >> 1);
            if (values[mid] < values[lo])
                (values[mid], values[lo]) = (values[lo], values[mid]);
            if (values[hi] < values[lo])
                (values[hi], values[lo]) = (values[lo], values[hi]);
            if (values[hi] < values[mid])
                (values[hi], values[mid]) = (values[mid], values[hi]);
            double pivot = values[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot)
                    i++;
                while (pivot < values[j])
                    j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            // Now [lo..j] ≤ pivot ≤ [i..hi], and anything between equals the pivot.
            if (k <= j)
                hi = j;
            else if (k >= i)
                lo = i;
            else
                return;
        }
        values[lo..(hi + 1)].Sort();
    }

    private static double Min(ReadOnlySpan<double> values)
    {
        double min = values[0];
        foreach (double value in values)
        {
            if (value < min)
                min = value;
        }
        return min;
    }
}
