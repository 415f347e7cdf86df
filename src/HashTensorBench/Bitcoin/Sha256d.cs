using System.Security.Cryptography;

namespace HashTensorBench.Bitcoin;

/// <summary>
/// Double SHA-256, <c>SHA256(SHA256(x))</c>: Bitcoin's block and transaction hash.
/// </summary>
/// <remarks>
/// One-shot, span-based, like <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>, on which it
/// is built (the platform's SHA-256 uses the SHA extensions where the processor has them). The nonce
/// searchers do not call it per nonce; they use it to confirm candidates.
/// </remarks>
public static class Sha256d
{
    /// <summary>The size of a hash.</summary>
    public const int HashSizeInBytes = SHA256.HashSizeInBytes;

    /// <summary>Hashes <paramref name="source"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="HashSizeInBytes"/>.</exception>
    public static int HashData(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (!TryHashData(source, destination, out int written))
            ThrowHelper.ThrowArgument(nameof(destination), $"The destination holds {destination.Length} bytes; {HashSizeInBytes} are needed.");
        return written;
    }

    /// <summary>Hashes <paramref name="source"/> into a new array.</summary>
    public static byte[] HashData(ReadOnlySpan<byte> source)
    {
        var hash = new byte[HashSizeInBytes];
        HashData(source, hash);
        return hash;
    }

    /// <summary>Hashes <paramref name="source"/>; false when <paramref name="destination"/> is too short.</summary>
    public static bool TryHashData(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < HashSizeInBytes)
        {
            bytesWritten = 0;
            return false;
        }
        Span<byte> first = stackalloc byte[HashSizeInBytes];
        SHA256.HashData(source, first);
        bytesWritten = SHA256.HashData(first, destination);
        return true;
    }
}
