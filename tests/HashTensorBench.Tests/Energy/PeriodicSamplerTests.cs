using HashTensorBench.Energy;

namespace HashTensorBench.Tests.Energy;

/// <summary>On a clock moved by hand: each sample is due at a known time, and none waits on a busy machine's scheduler.</summary>
public sealed class PeriodicSamplerTests
{
    [Fact]
    public void Samples_once_each_period_until_disposed()
    {
        var time = new ManualTime();
        int calls = 0;
        var sampler = new PeriodicSampler(time, TimeSpan.FromMilliseconds(5), () => calls++);

        time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(0, calls);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, calls);
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(3, calls);
        sampler.Dispose();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, calls);
    }

    [Fact]
    public void Infinite_period_never_samples()
    {
        var time = new ManualTime();
        int calls = 0;
        using var sampler = new PeriodicSampler(time, Timeout.InfiniteTimeSpan, () => calls++);

        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, calls);
    }
}
