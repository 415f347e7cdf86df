using System.Collections.ObjectModel;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace HashTensorBench.Economics.Risk;

/// <summary>A mix of uses of the site and the spread of its value over the paths.</summary>
/// <param name="Shares">Each use's share of the site, in the order of the uses; they sum to 1.</param>
/// <param name="GridShares">
/// For a mix on the grid, each share as a whole number of grid steps, summing to exactly the steps (the doubles in
/// <paramref name="Shares"/> are these divided by the steps, and their floating-point sum can miss 1 by an ulp);
/// null for a mix the caller gave.
/// </param>
/// <param name="Quantiles">P10, P50, P90 and the probability of loss of the mix's value.</param>
public sealed record MixOutcome(IReadOnlyList<double> Shares, IReadOnlyList<int>? GridShares, Quantiles Quantiles)
{
    /// <summary>
    /// Whether this mix beats <paramref name="other"/>: at least as good on both the median (P50) and the bad case
    /// (P10), and strictly better on one.
    /// </summary>
    public bool Beats(MixOutcome other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Quantiles a = Quantiles, b = other.Quantiles;
        return a.P50 >= b.P50 && a.P10 >= b.P10 && (a.P50 > b.P50 || a.P10 > b.P10);
    }
}

/// <summary>Every mix on a grid and those no other mix beats.</summary>
/// <param name="Steps">The grid: shares are multiples of 1/Steps.</param>
/// <param name="Mixes">Every mix, with the shares in lexicographic order: (0, …, 0, 1) first, (1, 0, …, 0) last.</param>
/// <param name="Efficient">
/// The mixes that no mix beats on both P50 and P10 (see <see cref="MixOutcome.Beats"/>), in the order of
/// <paramref name="Mixes"/>: the choices between a higher median and a safer bad case.
/// </param>
public sealed record MixFrontier(int Steps, IReadOnlyList<MixOutcome> Mixes, IReadOnlyList<MixOutcome> Efficient);

/// <summary>
/// Which mixes of a site's uses (ASIC mining, GPU cloud, AI colocation, GPU hashing…) trade the median against the
/// bad case best, given each use's value on each Monte Carlo path.
/// </summary>
/// <remarks>
/// A mix that gives share s_u of the site to use u is worth Σ s_u·v_u[p] on path p: the values must be in one unit
/// that scales with the site's share (the caller passes equivalent annual annuities per MW). The uses are summed in
/// their order, multiplying and adding separately (never fused), so a mix's values, and so its quantiles, are the
/// same bit for bit whichever thread computes them and whether the mix comes from the grid or from
/// <see cref="EvaluateMix"/>.
/// </remarks>
public static class EfficientMixes
{
    /// <summary>The default grid: shares in tenths.</summary>
    public const int DefaultSteps = 10;

    /// <summary>The most mixes a grid may have, to keep a mistaken step count from exhausting memory.</summary>
    public const int MaxMixes = 1_000_000;

    /// <summary>
    /// Mixes of <paramref name="uses"/> uses on a grid of <paramref name="steps"/>: C(steps + uses − 1, uses − 1),
    /// 286 for 4 uses in tenths; <see cref="long.MaxValue"/> where that is more than a long holds.
    /// </summary>
    public static long MixCount(int uses, int steps)
    {
        if (uses < 1)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(uses), "A mix has at least one use.");
        if (steps < 1)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(steps), "A grid has at least one step.");
        // C(n, r) built up as C(n − r + i, i), each an integer, so the division is exact.
        long count = 1;
        for (int i = 1; i < uses; i++)
        {
            long factor = (long)steps + i;
            if (count > long.MaxValue / factor)
                return long.MaxValue;
            count = count * factor / i;
        }
        return count;
    }

    /// <summary>
    /// Values every mix on the grid of <paramref name="steps"/> and finds the efficient ones.
    /// </summary>
    /// <param name="values">Per use, its value on each path: values[u][p]. Every use has the same paths; none is changed.</param>
    /// <param name="steps">Shares are multiples of 1/steps: 10 gives 0, 0.1, …, 1.</param>
    /// <exception cref="ArgumentException">No uses, uses with different path counts, no paths, or a value that is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one step, or more than <see cref="MaxMixes"/> mixes.</exception>
    public static MixFrontier Evaluate(IReadOnlyList<double[]> values, int steps = DefaultSteps)
    {
        int paths = CheckValues(values);
        long count = MixCount(values.Count, steps);
        if (count > MaxMixes)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(steps), $"{values.Count} uses in steps of 1/{steps} make more than {MaxMixes} mixes.");

        List<int[]> grid = Grid(values.Count, steps);
        var outcomes = new MixOutcome[grid.Count];
        // Each mix is computed whole by one thread from the same inputs, so the results do not depend on the
        // scheduling; the thread's buffer is reused for all its mixes.
        Parallel.For(0, grid.Count, () => new double[paths], (i, _, buffer) =>
        {
            int[] cells = grid[i];
            var shares = new double[cells.Length];
            for (int u = 0; u < cells.Length; u++)
                shares[u] = (double)cells[u] / steps;
            outcomes[i] = new MixOutcome(Array.AsReadOnly(shares), Array.AsReadOnly(cells), Value(values, shares, buffer));
            return buffer;
        }, _ => { });

        return new MixFrontier(steps, Array.AsReadOnly(outcomes), Unbeaten(outcomes));
    }

    /// <summary>Values one mix, with the shares the caller chose.</summary>
    /// <param name="values">Per use, its value on each path, as for <see cref="Evaluate"/>; none is changed.</param>
    /// <param name="shares">Each use's share: as many as uses, none negative, summing to 1 within 10^−9.</param>
    /// <exception cref="ArgumentException">The values are unusable (see <see cref="Evaluate"/>) or the share count differs from the use count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A share is negative or not finite, or the shares do not sum to 1.</exception>
    public static MixOutcome EvaluateMix(IReadOnlyList<double[]> values, ReadOnlySpan<double> shares)
    {
        int paths = CheckValues(values);
        if (shares.Length != values.Count)
            ThrowHelper.ThrowArgument(nameof(shares), $"There are {values.Count} uses but {shares.Length} shares.");
        double sum = 0;
        foreach (double share in shares)
        {
            if (!double.IsFinite(share) || share < 0)
                ThrowHelper.ThrowArgumentOutOfRange(nameof(shares), $"A share is a finite number of at least 0; got {share.ToString(CultureInfo.InvariantCulture)}.");
            sum += share;
        }
        if (Math.Abs(sum - 1) > 1e-9)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(shares), $"The shares must sum to 1; they sum to {sum.ToString(CultureInfo.InvariantCulture)}.");
        double[] copy = shares.ToArray();
        return new MixOutcome(Array.AsReadOnly(copy), null, Value(values, copy, new double[paths]));
    }

    /// <summary>Checks the values and returns the path count.</summary>
    private static int CheckValues(IReadOnlyList<double[]> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
            ThrowHelper.ThrowArgument(nameof(values), "There are no uses to mix.");
        int paths = values[0]?.Length ?? 0;
        if (paths == 0)
            ThrowHelper.ThrowArgument(nameof(values), "Each use needs a value on at least one path.");
        for (int u = 0; u < values.Count; u++)
        {
            double[]? use = values[u];
            if (use is null || use.Length != paths)
                ThrowHelper.ThrowArgument(nameof(values), $"Use {u} has {use?.Length ?? 0} paths; use 0 has {paths}.");
            int bad = Array.FindIndex(use, v => !double.IsFinite(v));
            if (bad >= 0)
                ThrowHelper.ThrowArgument(nameof(values), $"Use {u} has a value on path {bad} that is not finite.");
        }
        return paths;
    }

    /// <summary>The mixes no other mix beats, in their order.</summary>
    /// <remarks>
    /// A sweep rather than comparing every pair, which a fine grid would make slow (a million mixes, 10^12 pairs):
    /// in order of falling P50, a mix is beaten exactly when a mix of higher P50 has a P10 at least as high, or one
    /// of equal P50 has a higher P10.
    /// </remarks>
    private static ReadOnlyCollection<MixOutcome> Unbeaten(MixOutcome[] mixes)
    {
        int[] order = [.. Enumerable.Range(0, mixes.Length).OrderByDescending(i => mixes[i].Quantiles.P50)];
        var unbeaten = new List<int>();
        double bestP10Above = double.NegativeInfinity;
        for (int start = 0; start < order.Length;)
        {
            double p50 = mixes[order[start]].Quantiles.P50;
            int end = start;
            double groupP10 = double.NegativeInfinity;
            for (; end < order.Length && mixes[order[end]].Quantiles.P50 == p50; end++)
                groupP10 = Math.Max(groupP10, mixes[order[end]].Quantiles.P10);
            if (groupP10 > bestP10Above)
            {
                for (int g = start; g < end; g++)
                {
                    if (mixes[order[g]].Quantiles.P10 == groupP10)
                        unbeaten.Add(order[g]);
                }
                bestP10Above = groupP10;
            }
            start = end;
        }
        unbeaten.Sort();
        return unbeaten.ConvertAll(i => mixes[i]).AsReadOnly();
    }

    /// <summary>Every composition of <paramref name="steps"/> into <paramref name="uses"/> parts, in lexicographic order.</summary>
    private static List<int[]> Grid(int uses, int steps)
    {
        var grid = new List<int[]>();
        var cells = new int[uses];
        Add(0, steps);
        return grid;

        void Add(int use, int left)
        {
            if (use == uses - 1)
            {
                cells[use] = left;
                grid.Add((int[])cells.Clone());
                return;
            }
            for (int k = 0; k <= left; k++)
            {
                cells[use] = k;
                Add(use + 1, left - k);
            }
        }
    }

    /// <summary>The mix's value on each path, into <paramref name="buffer"/>, and its quantiles.</summary>
    private static Quantiles Value(IReadOnlyList<double[]> values, ReadOnlySpan<double> shares, double[] buffer)
    {
        // A zero share is skipped rather than multiplied, so a use alone is its own values exactly.
        bool first = true;
        for (int u = 0; u < shares.Length; u++)
        {
            if (shares[u] == 0)
                continue;
            MultiplyAdd(values[u], shares[u], buffer, first);
            first = false;
        }
        return Quantiles.Of(buffer);
    }

    /// <summary>into = x·s (when <paramref name="overwrite"/>) or into + x·s, lane by lane, never fused.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAdd(ReadOnlySpan<double> x, double s, Span<double> into, bool overwrite)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<double>(s);
            for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                Vector<double> product = new Vector<double>(x[i..]) * scale;
                (overwrite ? product : product + new Vector<double>(into[i..])).CopyTo(into[i..]);
            }
        }
        for (; i < x.Length; i++)
            into[i] = overwrite ? x[i] * s : into[i] + (x[i] * s);
    }
}
