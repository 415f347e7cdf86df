namespace HashTensorBench.Energy;

/// <summary>
/// Calls a sample function every period on a timer thread until disposed. An infinite period never
/// calls it, so tests drive the sampling by hand.
/// </summary>
internal sealed class PeriodicSampler : IDisposable
{
    private readonly ITimer _timer;

    public PeriodicSampler(TimeProvider time, TimeSpan period, Action sample) =>
        _timer = time.CreateTimer(_ => sample(), null, period, period);

    public void Dispose() => _timer.Dispose();
}
