using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;
using HashTensorBench.Platform.CodeGeneration;
using F = HashTensorBench.Hashing.Cpu.Sha256dShaNiFrame;

namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// The sha256d nonce search as SHA-NI machine code generated once per process (<see cref="Sha256dShaNiGenerator"/>),
/// with the managed kernels' early exit: only the hash's last word is computed, and a nonce whose top word can
/// still meet the target is confirmed exactly on the host.
/// </summary>
internal static unsafe class Sha256dShaNiKernel
{
    /// <summary>Nonces interleaved per thread.</summary>
    /// <remarks>
    /// Measured on Zen 5 (sha256d-pairs, one thread): five searched 1.03× (1.00–1.10×) as fast as four, three 0.86×,
    /// two 0.62×; six and seven no faster. There <c>sha256rnds2</c> takes 4 cycles and its unit 2, shared with
    /// <c>sha256msg2</c>: 62 + 24 of them a nonce keep it busy from about four nonces on.
    /// </remarks>
    public const int Ways = 5;

    // Generated and mapped at the first call for each interleave.
    private static readonly Lazy<MappedCode>[] s_mappings =
        [.. Enumerable.Range(1, F.MaxWays).Select(ways => new Lazy<MappedCode>(() => MappedCode.Map(Generate(ways))))];

    /// <summary>Whether the processor has the SHA extensions (CPUID leaf 7, EBX bit 29) and SSE4.1, which the code also uses.</summary>
    public static bool HasShaExtensions { get; } =
        X86Base.IsSupported && Sse41.IsSupported && (X86Base.CpuId(7, 0).Ebx & (1 << 29)) != 0;

    /// <summary>Why the kernel cannot run here, or null when it can; the first call generates and maps it.</summary>
    public static string? WhyNotSupported(int ways = Ways) =>
        HasShaExtensions ? s_mappings[ways - 1].Value.Reason : "this processor has no SHA extensions";

    /// <summary>The kernel's code, generated anew (for dumps: generating needs no SHA extensions, only running does).</summary>
    public static GeneratedCode Generate(int ways = Ways) => new Sha256dShaNiGenerator(ways).Assemble();

    /// <summary>Adds to <paramref name="hits"/> every nonce in <c>[first, end)</c> (end ≤ 2^32) whose hash meets the job's target.</summary>
    public static void Search(Sha256dJob job, long first, long end, List<NonceHit> hits, int ways = Ways)
    {
        var search = Entry(ways);
        byte* raw = stackalloc byte[F.Size + 15];
        byte* frame = (byte*)(((nuint)raw + 15) & ~(nuint)15);
        var words = new Span<uint>(frame, F.Size / sizeof(uint));
        F.Fill(words, job, job.Threshold);
        for (long position = first; position < end; position += F.BatchNonces)
        {
            long batchEnd = Math.Min(position + F.BatchNonces, end);
            uint found = Call(search, frame, words, position, batchEnd - position, ways);
            for (int i = 0; i < found; i++)
            {
                long nonce = position + words[F.Candidates / sizeof(uint) + 2 * i];
                // The last group can run past the batch: those nonces belong to the next batch, or to no search.
                if (nonce < batchEnd && job.TryConfirm((uint)nonce, out var hit))
                    hits.Add(hit);
            }
        }
    }

    /// <summary>The last state word of sha256d for the nonces <paramref name="first"/> + i (wrapping): the kernel's own output, for tests.</summary>
    public static void LastWords(Sha256dJob job, uint first, Span<uint> destination, int ways = Ways)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(destination.Length, F.BatchNonces, nameof(destination));
        var search = Entry(ways);
        byte* raw = stackalloc byte[F.Size + 15];
        byte* frame = (byte*)(((nuint)raw + 15) & ~(nuint)15);
        var words = new Span<uint>(frame, F.Size / sizeof(uint));
        // With the largest threshold every nonce is a candidate, reported with its top word.
        F.Fill(words, job, uint.MaxValue);
        uint found = Call(search, frame, words, first, destination.Length, ways);
        for (int i = 0; i < found; i++)
        {
            uint index = words[F.Candidates / sizeof(uint) + 2 * i];
            if (index < destination.Length)
                destination[(int)index] = BinaryPrimitives.ReverseEndianness(words[F.Candidates / sizeof(uint) + 2 * i + 1]);
        }
    }

    // One call of the code over `count` (at most a batch) nonces from `first`, rounded up to whole groups.
    private static uint Call(delegate* unmanaged<byte*, uint> search, byte* frame, Span<uint> words, long first, long count, int ways)
    {
        words[F.First / sizeof(uint)] = (uint)first;
        words[F.Count / sizeof(uint)] = (uint)((count + ways - 1) / ways * ways);
        return search(frame);
    }

    private static delegate* unmanaged<byte*, uint> Entry(int ways)
    {
        if (WhyNotSupported(ways) is { } reason)
            throw new PlatformNotSupportedException($"The shani kernel cannot run here: {reason}.");
        return (delegate* unmanaged<byte*, uint>)s_mappings[ways - 1].Value.Address;
    }
}
