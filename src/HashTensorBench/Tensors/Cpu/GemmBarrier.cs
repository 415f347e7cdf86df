namespace HashTensorBench.Tensors.Cpu;

/// <summary>
/// A barrier for the threads of one product, which run at the same time on dedicated threads (see
/// <see cref="GemmWorkers.TryRunTogether"/>): they spin, then yield, but never sleep, because the wait is
/// microseconds. <see cref="Break"/> releases every wait with an exception, for a part that failed.
/// </summary>
internal sealed class GemmBarrier(int parties)
{
    private readonly int _parties = parties;
    private int _remaining = parties;
    private volatile int _phase;
    private volatile bool _broken;

    /// <summary>Waits until every party has called this for the current phase.</summary>
    /// <exception cref="OperationCanceledException">Another party failed.</exception>
    public void SignalAndWait()
    {
        int phase = _phase;
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _remaining = _parties;
            _phase = phase + 1;
            return;
        }
        var spinner = new SpinWait();
        while (_phase == phase)
        {
            if (_broken)
                throw new OperationCanceledException("Another thread of the product failed.");
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Releases every present and future wait with an exception.</summary>
    public void Break() => _broken = true;
}
