using System.Numerics;
using System.Runtime.Intrinsics.X86;
using HashTensorBench.Platform.CodeGeneration;
using F = HashTensorBench.Hashing.Cpu.Sha256dAvx512Frame;

namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// The sha256d nonce search as AVX-512 machine code generated once per process (<see cref="Sha256dAvx512Generator"/>),
/// the message schedule in registers, with the managed kernels' early exit: only the hash's last word is computed, and
/// a nonce whose top word can still meet the target is confirmed exactly on the host.
/// </summary>
internal static unsafe class Sha256dAvx512Kernel
{
    // Generated and mapped at the first call.
    private static readonly Lazy<MappedCode> s_mapping = new(() => MappedCode.Map(Generate()));

    /// <summary>Why the kernel cannot run here, or null when it can; the first call generates and maps it.</summary>
    /// <remarks>The runtime's own checks: DOTNET_EnableAVX512=0 turns this kernel off as it does the managed one.</remarks>
    public static string? WhyNotSupported() =>
        HasAvx512 ? s_mapping.Value.Reason : "no AVX-512 (or DOTNET_EnableAVX512=0)";

    /// <summary>Whether the processor (and the runtime) has the AVX-512 the kernel uses, whether or not it can be mapped.</summary>
    public static bool HasAvx512 => Avx512F.IsSupported && Avx512BW.IsSupported;

    /// <summary>The kernel's code, generated anew (for dumps: generating needs no AVX-512, only running does).</summary>
    public static GeneratedCode Generate() => new Sha256dAvx512Generator().Assemble();

    /// <summary>Adds to <paramref name="hits"/> every nonce in <c>[first, end)</c> (end ≤ 2^32) whose hash meets the job's target.</summary>
    public static void Search(Sha256dJob job, long first, long end, List<NonceHit> hits)
    {
        var search = Entry();
        byte* raw = stackalloc byte[F.Size + 63];
        byte* frame = (byte*)(((nuint)raw + 63) & ~(nuint)63);
        var words = new Span<uint>(frame, F.Size / sizeof(uint));
        F.Fill(words, job, job.Threshold);
        SearchGroups(search, frame, words, F.Lanes, job, first, end, hits);
    }

    /// <summary>
    /// The search loop of the kernels that share this one's calling convention and frame (this one and
    /// <see cref="Sha256dHybridKernel"/>, whose groups are <paramref name="lanes"/> nonces): a batch of groups a call, and
    /// each candidate lane that falls inside the range confirmed on the host. The frame is filled for the job.
    /// </summary>
    internal static void SearchGroups(delegate* unmanaged<byte*, uint> search, byte* frame, Span<uint> words, int lanes,
        Sha256dJob job, long first, long end, List<NonceHit> hits)
    {
        long batch = F.BatchGroups * lanes;
        for (long position = first; position < end; position += batch)
        {
            long batchEnd = Math.Min(position + batch, end);
            int groups = Call(search, frame, words, position, batchEnd - position, lanes);
            for (int group = 0; group < groups; group++)
            {
                for (uint mask = words[F.Masks / sizeof(uint) + group]; mask != 0; mask &= mask - 1)
                {
                    long nonce = position + (long)group * lanes + BitOperations.TrailingZeroCount(mask);
                    // The last group can run past the batch: those nonces belong to the next batch, or to no search.
                    if (nonce < batchEnd && job.TryConfirm((uint)nonce, out var hit))
                        hits.Add(hit);
                }
            }
        }
    }

    /// <summary>The last state word of sha256d for the nonces <paramref name="first"/> + i (wrapping): the kernel's own output, for tests.</summary>
    public static void LastWords(Sha256dJob job, uint first, Span<uint> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(destination.Length, F.Lanes, nameof(destination));
        var search = Entry();
        byte* raw = stackalloc byte[F.Size + 63];
        byte* frame = (byte*)(((nuint)raw + 63) & ~(nuint)63);
        var words = new Span<uint>(frame, F.Size / sizeof(uint));
        F.Fill(words, job, job.Threshold);
        Call(search, frame, words, first, destination.Length, F.Lanes);
        words.Slice(F.LastWords / sizeof(uint), destination.Length).CopyTo(destination);
    }

    /// <summary>
    /// One call of the code over <paramref name="count"/> (at most a batch) nonces from <paramref name="first"/>, rounded
    /// up to whole groups of <paramref name="lanes"/>; returns how many groups have a candidate mask to read, none when no
    /// lane of any group is a candidate.
    /// </summary>
    internal static int Call(delegate* unmanaged<byte*, uint> search, byte* frame, Span<uint> words, long first, long count, int lanes)
    {
        int groups = (int)((count + lanes - 1) / lanes);
        words[F.First / sizeof(uint)] = (uint)first;
        words[F.Groups / sizeof(uint)] = (uint)groups;
        return search(frame) == 0 ? 0 : groups;
    }

    private static delegate* unmanaged<byte*, uint> Entry()
    {
        if (WhyNotSupported() is { } reason)
            throw new PlatformNotSupportedException($"The avx512gen kernel cannot run here: {reason}.");
        return (delegate* unmanaged<byte*, uint>)s_mapping.Value.Address;
    }
}
