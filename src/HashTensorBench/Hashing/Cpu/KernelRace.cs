namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// One search thread's choice, chunk by chunk, between two kernels whose order depends on what else shares the core:
/// <c>avx512sha</c> searched 1.13× as fast as <c>avx512gen</c> on a core of its own and 0.87–0.90× while something
/// outside the guest shared it, and that changed every few minutes. The thread runs each once, then the faster by its
/// smoothed rate, and the other every <see cref="ExploreEvery"/>th chunk, so that it follows the machine within a
/// second at a cost of at most a sixteenth of the difference. Chunks are timed by the thread's CPU time
/// (<see cref="ThreadClock"/>): by the wall clock, a chunk of the leader that lost its core for a moment passed the lead
/// to the slower kernel, and the leader, measured only every sixteenth chunk, took seconds to win it back.
/// </summary>
internal sealed class KernelRace(CpuSha256dKernel leader, CpuSha256dKernel rival)
{
    /// <summary>Every this many chunks, the kernel that is behind runs once.</summary>
    public const int ExploreEvery = 16;

    // The weight of the newest chunk in a kernel's smoothed rate: a few chunks of a new regime turn the choice.
    private const double Weight = 0.25;

    private readonly double[] _rates = new double[2];
    private int _chunks, _ahead;

    /// <summary>The kernel for the next chunk.</summary>
    public CpuSha256dKernel Next()
    {
        // A kernel without a rate yet (each at the start; one whose chunk took no measurable time) runs until it has one.
        int pick = _rates[0] == 0 ? 0 : _rates[1] == 0 ? 1 : _chunks % ExploreEvery == 0 ? 1 - _ahead : _ahead;
        return pick == 0 ? leader : rival;
    }

    /// <summary>Records that <paramref name="kernel"/> hashed <paramref name="nonces"/> nonces in <paramref name="seconds"/>.</summary>
    public void Record(CpuSha256dKernel kernel, long nonces, double seconds)
    {
        _chunks++;
        if (seconds <= 0)
            return;
        int index = kernel == leader ? 0 : 1;
        double rate = nonces / seconds;
        _rates[index] = _rates[index] == 0 ? rate : _rates[index] + Weight * (rate - _rates[index]);
        if (_rates[0] > 0 && _rates[1] > 0)
            _ahead = _rates[1] > _rates[0] ? 1 : 0;
    }
}
