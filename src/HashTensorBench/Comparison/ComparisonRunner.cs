using HashTensorBench.Platform.Cuda;

namespace HashTensorBench.Comparison;

/// <summary>Runs the plans of a comparison: each workload in its own energy window, a failing device recorded while the others still run.</summary>
public static class ComparisonRunner
{
    /// <summary>
    /// Runs every workload of every plan for <paramref name="perWorkload"/>. A workload that fails (a GPU error, no
    /// kernel, no memory) is recorded with its reason; after Ctrl+C the workload under way keeps what it measured
    /// (marked stopped early) and the rest are recorded as cancelled.
    /// </summary>
    /// <param name="plans">The devices, in order.</param>
    /// <param name="perWorkload">The time of each workload.</param>
    /// <param name="progressFor">The progress sink of one workload, called as it starts.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    /// <returns>The results per plan, and whether the run was cancelled.</returns>
    public static (IReadOnlyList<(DevicePlan Plan, IReadOnlyList<WorkloadResult> Results)> Devices, bool Cancelled) Run(
        IReadOnlyList<DevicePlan> plans, TimeSpan perWorkload, Func<DevicePlan, Workload, IProgress<double>> progressFor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(progressFor);
        var measured = new List<(DevicePlan, IReadOnlyList<WorkloadResult>)>();
        bool stopped = false;
        foreach (var plan in plans)
        {
            var results = new List<WorkloadResult>();
            measured.Add((plan, results));
            foreach (var workload in plan.Workloads)
            {
                if (stopped)
                {
                    results.Add(new WorkloadResult(workload.Name, workload.Unit, workload.ElementType, null, "cancelled (Ctrl+C)"));
                    continue;
                }
                try
                {
                    using var meter = plan.Meter();
                    results.Add(new WorkloadResult(workload.Name, workload.Unit, workload.ElementType,
                        workload.Run(meter, perWorkload, progressFor(plan, workload), cancellationToken), null));
                    // Ctrl+C in the middle of a workload: what it measured until then is kept (marked stopped early).
                    stopped = cancellationToken.IsCancellationRequested;
                }
                catch (OperationCanceledException)
                {
                    stopped = true;
                    results.Add(new WorkloadResult(workload.Name, workload.Unit, workload.ElementType, null, "cancelled (Ctrl+C)"));
                }
                catch (Exception ex) when (ex is GpuException or NotSupportedException or OutOfMemoryException)
                {
                    results.Add(new WorkloadResult(workload.Name, workload.Unit, workload.ElementType, null, ex.Message));
                }
            }
        }
        return (measured, stopped);
    }
}
