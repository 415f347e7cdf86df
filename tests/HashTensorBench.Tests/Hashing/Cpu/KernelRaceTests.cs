using HashTensorBench.Hashing.Cpu;

namespace HashTensorBench.Tests.Hashing.Cpu;

/// <summary>The per-thread choice between two kernels, fed simulated chunk timings.</summary>
public class KernelRaceTests
{
    private const CpuSha256dKernel Leader = CpuSha256dKernel.Avx512Sha, Rival = CpuSha256dKernel.Avx512Gen;

    // Runs chunks of a million nonces, each kernel at the rate the function gives for the chunk's index; returns the kernels run.
    private static List<CpuSha256dKernel> Run(KernelRace race, int chunks, Func<int, CpuSha256dKernel, double> rate, int from = 0)
    {
        var picked = new List<CpuSha256dKernel>();
        for (int i = from; i < from + chunks; i++)
        {
            var kernel = race.Next();
            picked.Add(kernel);
            race.Record(kernel, 1_000_000, 1_000_000 / rate(i, kernel));
        }
        return picked;
    }

    [Fact]
    public void Tries_each_once_then_runs_the_faster_and_the_other_once_every_sixteen_chunks()
    {
        var race = new KernelRace(Leader, Rival);
        var picked = Run(race, 2 + 64, (_, kernel) => kernel == Rival ? 40e6 : 35e6);
        Assert.Equal([Leader, Rival], picked[..2]);
        // After the first two, 64 chunks: the leader (slower here) once in each 16.
        Assert.Equal(4, picked[2..].Count(k => k == Leader));
        Assert.All(Enumerable.Range(2, 64).Where(i => i % KernelRace.ExploreEvery != 0), i => Assert.Equal(Rival, picked[i]));
    }

    [Fact]
    public void Follows_the_machine_when_the_order_of_the_two_turns()
    {
        // Leader 13 % ahead, then (another guest takes the core's sibling) 12 % behind, then ahead again.
        static double Rate(int chunk, CpuSha256dKernel kernel) =>
            chunk is >= 100 and < 200 ? (kernel == Leader ? 35e6 : 40e6) : (kernel == Leader ? 46e6 : 40.5e6);
        var race = new KernelRace(Leader, Rival);
        var first = Run(race, 100, Rate);
        var second = Run(race, 100, Rate, from: 100);
        var third = Run(race, 100, Rate, from: 200);
        // Each phase ends with the faster kernel in all but the exploring chunks, within two explorations of its start.
        Assert.All(first[40..].Where((_, i) => (i + 40) % KernelRace.ExploreEvery != 0), k => Assert.Equal(Leader, k));
        Assert.All(second[40..].Where((_, i) => (i + 140) % KernelRace.ExploreEvery != 0), k => Assert.Equal(Rival, k));
        Assert.All(third[40..].Where((_, i) => (i + 240) % KernelRace.ExploreEvery != 0), k => Assert.Equal(Leader, k));
    }

    [Fact]
    public void A_kernel_whose_chunk_took_no_measurable_time_runs_again_until_it_has_a_rate()
    {
        var race = new KernelRace(Leader, Rival);
        Assert.Equal(Leader, race.Next());
        race.Record(Leader, 16, 0);
        Assert.Equal(Leader, race.Next());
        race.Record(Leader, 1_000_000, 0.03);
        Assert.Equal(Rival, race.Next());
        race.Record(Rival, 1_000_000, 0.02);
        Assert.Equal(Rival, race.Next());
    }

    [SkippableFact]
    public void A_search_given_no_kernel_races_the_hybrid_and_the_generated_avx512_kernel_where_both_run()
    {
        Skip.If(CpuSha256dKernels.Rival is null, "This machine has no two kernels to race (or HTB_CPU_KERNEL forces one).");
        var searcher = new CpuNonceSearcher(threads: 2);
        Assert.Equal(CpuSha256dKernels.Rival, searcher.Rival);
        Assert.Equal($"cpu/{CpuSha256dKernels.Describe(searcher.Kernel, searcher.Rival)} x2", searcher.Name);
        Assert.Null(new CpuNonceSearcher(searcher.Kernel).Rival);
    }
}

/// <summary>The clock the race times chunks by: the thread's CPU time, which sleeping does not advance.</summary>
public class ThreadClockTests
{
    [SkippableFact]
    public void Counts_the_threads_work_and_not_its_sleep()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsWindows(), "The thread's CPU time is read on Linux and Windows only.");
        double start = ThreadClock.Seconds();
        Thread.Sleep(200);
        double slept = ThreadClock.Seconds() - start;
        start = ThreadClock.Seconds();
        var wall = System.Diagnostics.Stopwatch.StartNew();
        double sink = 0;
        while (wall.ElapsedMilliseconds < 100)
            sink += Math.Sqrt(sink + 1);
        double worked = ThreadClock.Seconds() - start;
        Assert.True(slept < 0.05, $"200 ms asleep counted {slept * 1e3:F1} ms");
        // On a busy machine the thread may lose the core for part of the 100 ms; it still ran for much of it.
        Assert.InRange(worked, 0.02, 0.15);
        Assert.True(sink > 0);
    }
}
