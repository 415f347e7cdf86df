using HashTensorBench.Energy;

namespace HashTensorBench.Tests.Energy;

public sealed class PeriodicSamplerTests
{
    [Fact]
    public void Samples_in_the_background_until_disposed()
    {
        int calls = 0;
        var sampler = new PeriodicSampler(TimeProvider.System, TimeSpan.FromMilliseconds(5), () => Interlocked.Increment(ref calls));

        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref calls) >= 3, TimeSpan.FromSeconds(5)));
        sampler.Dispose();
        Thread.Sleep(20); // a callback already running may still finish
        int afterDispose = Volatile.Read(ref calls);
        Thread.Sleep(50);
        Assert.Equal(afterDispose, Volatile.Read(ref calls));
    }

    [Fact]
    public void Infinite_period_never_samples()
    {
        int calls = 0;
        using var sampler = new PeriodicSampler(TimeProvider.System, Timeout.InfiniteTimeSpan, () => calls++);

        Thread.Sleep(20);
        Assert.Equal(0, calls);
    }
}
