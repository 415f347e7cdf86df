using HashTensorBench.Platform.CodeGeneration;
using F = HashTensorBench.Hashing.Cpu.Sha256dHybridFrame;

namespace HashTensorBench.Hashing.Cpu;

/// <summary>
/// The sha256d nonce search as one stream of generated machine code that hashes sixteen nonces with AVX-512 and a few
/// more with SHA-NI at the same time (<see cref="Sha256dHybridGenerator"/>), with the other kernels' early exit.
/// </summary>
internal static unsafe class Sha256dHybridKernel
{
    /// <summary>SHA-NI nonces per group of sixteen AVX-512 ones.</summary>
    /// <remarks>
    /// Measured on Zen 5 (sha256d-pairs, one thread): four searched 1.12× (1.05–1.14×) as fast as the AVX-512 kernel
    /// alone, three 1.08×, two 1.07×; five and six 0.85× and 0.83×, as the third pair of nonces, after the first two,
    /// comes too late to finish within the group.
    /// </remarks>
    public const int ShaNiNonces = 4;

    // Generated and mapped at the first call for each count of SHA-NI nonces.
    private static readonly Lazy<MappedCode>[] s_mappings =
        [.. Enumerable.Range(1, Sha256dShaNiFrame.MaxWays).Select(n => new Lazy<MappedCode>(() => MappedCode.Map(Generate(n))))];

    /// <summary>Why the kernel cannot run here, or null when it can; the first call generates and maps it.</summary>
    public static string? WhyNotSupported(int shaNiNonces = ShaNiNonces) =>
        !Sha256dAvx512Kernel.HasAvx512 ? "no AVX-512 (or DOTNET_EnableAVX512=0)"
        : !Sha256dShaNiKernel.HasShaExtensions ? "this processor has no SHA extensions"
        : s_mappings[shaNiNonces - 1].Value.Reason;

    /// <summary>The kernel's code, generated anew (generating needs neither AVX-512 nor SHA extensions).</summary>
    public static GeneratedCode Generate(int shaNiNonces = ShaNiNonces) => new Sha256dHybridGenerator(shaNiNonces).Assemble();

    /// <summary>How many nonces one pass hashes.</summary>
    public static int Lanes(int shaNiNonces = ShaNiNonces) => Sha256dAvx512Frame.Lanes + shaNiNonces;

    /// <summary>Adds to <paramref name="hits"/> every nonce in <c>[first, end)</c> (end ≤ 2^32) whose hash meets the job's target.</summary>
    public static void Search(Sha256dJob job, long first, long end, List<NonceHit> hits, int shaNiNonces = ShaNiNonces)
    {
        var search = Entry(shaNiNonces);
        byte* raw = stackalloc byte[F.Size + 63];
        byte* frame = (byte*)(((nuint)raw + 63) & ~(nuint)63);
        var words = new Span<uint>(frame, F.Size / sizeof(uint));
        F.Fill(words, job, job.Threshold);
        Sha256dAvx512Kernel.SearchGroups(search, frame, words, Lanes(shaNiNonces), job, first, end, hits);
    }

    /// <summary>The last state word of sha256d for the nonces <paramref name="first"/> + i (wrapping), one group at most: the kernel's own output, for tests.</summary>
    public static void LastWords(Sha256dJob job, uint first, Span<uint> destination, int shaNiNonces = ShaNiNonces)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(destination.Length, Lanes(shaNiNonces), nameof(destination));
        var search = Entry(shaNiNonces);
        byte* raw = stackalloc byte[F.Size + 63];
        byte* frame = (byte*)(((nuint)raw + 63) & ~(nuint)63);
        var words = new Span<uint>(frame, F.Size / sizeof(uint));
        F.Fill(words, job, job.Threshold);
        Sha256dAvx512Kernel.Call(search, frame, words, first, destination.Length, Lanes(shaNiNonces));
        var vector = destination[..Math.Min(destination.Length, Sha256dAvx512Frame.Lanes)];
        words.Slice(Sha256dAvx512Frame.LastWords / sizeof(uint), vector.Length).CopyTo(vector);
        var shaNi = destination[vector.Length..];
        words.Slice(F.ShaNiLastWords / sizeof(uint), shaNi.Length).CopyTo(shaNi);
    }

    private static delegate* unmanaged<byte*, uint> Entry(int shaNiNonces)
    {
        if (WhyNotSupported(shaNiNonces) is { } reason)
            throw new PlatformNotSupportedException($"The avx512sha kernel cannot run here: {reason}.");
        return (delegate* unmanaged<byte*, uint>)s_mappings[shaNiNonces - 1].Value.Address;
    }
}
