using System.Numerics;
using System.Runtime.CompilerServices;

namespace HashTensorBench.Economics.Risk;

/// <summary>
/// The spread of a value over Monte Carlo paths: the 10th, 50th and 90th percentiles and the probability of losing
/// money.
/// </summary>
/// <remarks>
/// A quantile q of n values is numpy's default ('linear', Hyndman and Fan's type 7): the order statistics
/// x(0) ≤ … ≤ x(n−1) interpolated linearly at position q·(n − 1), so 1 … 11 gives P10 = 2, P50 = 6, P90 = 10, and
/// 1 … 10 gives P50 = 5.5. The order statistics are found by selection (Floyd–Rivest, falling back to a sort where
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    /// and none smaller after it.
    /// </summary>
    /// <remarks>
    /// Floyd and Rivest's SELECT (Communications of the ACM 18(3), 1975, Algorithm 489): it first selects within a
    /// small sample around where the k-th should fall, so the pivot lands close to it and the range shrinks to the
    /// sample's width after one partition: about n + min(k, n − k) comparisons, against some 3.4n for a median with
    /// a median-of-three quickselect. A range that keeps resisting is sorted instead (introselect's guard).
    /// </remarks>
    internal static void SelectInPlace(Span<double> values, int k) =>
        SelectInPlace(values, 0, values.Length - 1, k, (2 * BitOperations.Log2((uint)values.Length)) + 8);

    // Full optimisation from the first call (here and in the scans): a run takes the quantiles of a few hundred
    // mixes, too few calls for tiering to replace the slow first code in time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SelectInPlace(Span<double> a, int left, int right, int k, int budget)
    {
        while (right > left)
        {
            if (--budget < 0)
            {
                a[left..(right + 1)].Sort();
                return;
            }
            if (right - left > 600)
            {
                // The sample: about n^(2/3) values around k's expected place, a few standard deviations wide.
                int n = right - left + 1;
                int i = k - left + 1;
                double z = Math.Log(n);
                double s = 0.5 * Math.Exp(2 * z / 3);
                double sd = 0.5 * Math.Sqrt(z * s * (n - s) / n) * Math.Sign(i - (n / 2));
                int sampleLeft = Math.Max(left, (int)(k - (i * s / n) + sd));
                int sampleRight = Math.Min(right, (int)(k + ((n - i) * s / n) + sd));
                SelectInPlace(a, sampleLeft, sampleRight, k, budget);
            }
            // Three ways around t = a[k]: [left..less) < t, [less..notMore) = t, [notMore..right] > t. The second
            // pass runs only where k is not below t, and only over what the first left at or above it.
            double t = a[k];
            int less = PartitionBelow(a, left, right, t);
            if (k < less)
            {
                right = less - 1;
                continue;
            }
            int notMore = PartitionAtMost(a, less, right, t);
            if (k < notMore)
                return;
            left = notMore;
        }
    }

    /// <summary>
    /// Moves the values of [<paramref name="left"/>..<paramref name="right"/>] below <paramref name="t"/> to its
    /// start and returns where the rest begin.
    /// </summary>
    /// <remarks>
    /// Lomuto's scheme made branch-free: every value is swapped into place and the boundary advances by the
    /// comparison's 0 or 1. On paths' values a branch here is mispredicted half the time: with Hoare's branching
    /// scheme the quantiles of 10,000 values took 3.4 times as long.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int PartitionBelow(Span<double> a, int left, int right, double t)
    {
        int store = left;
        for (int i = left; i <= right; i++)
        {
            double x = a[i];
            a[i] = a[store];
            a[store] = x;
            store += x < t ? 1 : 0;
        }
        return store;
    }

    /// <summary>As <see cref="PartitionBelow"/>, for the values at most <paramref name="t"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int PartitionAtMost(Span<double> a, int left, int right, double t)
    {
        int store = left;
        for (int i = left; i <= right; i++)
        {
            double x = a[i];
            a[i] = a[store];
            a[store] = x;
            store += x <= t ? 1 : 0;
        }
        return store;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
