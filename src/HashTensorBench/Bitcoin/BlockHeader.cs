using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace HashTensorBench.Bitcoin;

/// <summary>
/// An 80-byte Bitcoin block header: the input of proof of work.
/// </summary>
/// <remarks>
/// Fields are in wire order; integers are little-endian and the two hashes are in serialized (not display)
/// order, as in <see cref="UInt256.FromLittleEndian"/>.
/// </remarks>
public readonly struct BlockHeader : IEquatable<BlockHeader>
{
    /// <summary>The serialized size.</summary>
    public const int SizeInBytes = 80;

    /// <summary>Where the nonce sits in the serialized header.</summary>
    public const int NonceOffset = 76;

    /// <summary>Creates a header from its fields.</summary>
    public BlockHeader(int version, UInt256 previousBlockHash, UInt256 merkleRoot, uint time, uint bits, uint nonce)
    {
        Version = version;
        PreviousBlockHash = previousBlockHash;
        MerkleRoot = merkleRoot;
        Time = time;
        Bits = bits;
        Nonce = nonce;
    }

    /// <summary>Block version; with BIP 9 and BIP 320 its bits also signal and roll.</summary>
    public int Version { get; }

    /// <summary>The hash of the previous block.</summary>
    public UInt256 PreviousBlockHash { get; }

    /// <summary>The merkle root of the block's transactions.</summary>
    public UInt256 MerkleRoot { get; }

    /// <summary>Block time, seconds since the Unix epoch.</summary>
    public uint Time { get; }

    /// <summary>The target in compact form.</summary>
    public uint Bits { get; }

    /// <summary>The nonce that miners vary.</summary>
    public uint Nonce { get; }

    /// <summary>The target that <see cref="Bits"/> encodes.</summary>
    /// <exception cref="FormatException">The bits have the sign bit set.</exception>
    /// <exception cref="OverflowException">The bits overflow 256 bits.</exception>
    public Target Target => Target.FromCompact(Bits);

    /// <summary>The block hash: double SHA-256 of the serialized header, as a little-endian number (<see cref="UInt256.ToString()"/> shows it in display order).</summary>
    public UInt256 Hash
    {
        get
        {
            Span<byte> bytes = stackalloc byte[SizeInBytes];
            WriteTo(bytes);
            Span<byte> hash = stackalloc byte[Sha256d.HashSizeInBytes];
            Sha256d.HashData(bytes, hash);
            return UInt256.FromLittleEndian(hash);
        }
    }

    /// <summary>The same header with another nonce.</summary>
    public BlockHeader WithNonce(uint nonce) => new(Version, PreviousBlockHash, MerkleRoot, Time, Bits, nonce);

    /// <summary>The same header with another version.</summary>
    public BlockHeader WithVersion(int version) => new(version, PreviousBlockHash, MerkleRoot, Time, Bits, Nonce);

    /// <summary>Reads a serialized header.</summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not 80 bytes.</exception>
    public static BlockHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length != SizeInBytes)
            ThrowHelper.ThrowArgument(nameof(source), $"A block header is {SizeInBytes} bytes, not {source.Length}.");
        return new(
            BinaryPrimitives.ReadInt32LittleEndian(source),
            UInt256.FromLittleEndian(source.Slice(4, UInt256.SizeInBytes)),
            UInt256.FromLittleEndian(source.Slice(36, UInt256.SizeInBytes)),
            BinaryPrimitives.ReadUInt32LittleEndian(source[68..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[72..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[NonceOffset..]));
    }

    /// <summary>Parses a serialized header written as 160 hex digits.</summary>
    /// <exception cref="FormatException">The text is not 160 hex digits.</exception>
    public static BlockHeader Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!TryParse(hex, out var header))
        {
            string trimmed = hex.Trim();
            ThrowHelper.ThrowFormat(trimmed.Length == 2 * SizeInBytes
                ? $"A block header is {2 * SizeInBytes} hex digits; \"{UInt256.Describe(trimmed)}\" has characters that are not hex."
                : $"A block header is {SizeInBytes} bytes ({2 * SizeInBytes} hex digits); got {trimmed.Length} characters.");
        }
        return header;
    }

    /// <summary>Parses a serialized header written as 160 hex digits (surrounding white space allowed); false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? hex, out BlockHeader header)
    {
        header = default;
        var digits = hex.AsSpan().Trim();
        if (digits.Length != 2 * SizeInBytes)
            return false;
        Span<byte> bytes = stackalloc byte[SizeInBytes];
        if (Convert.FromHexString(digits, bytes, out _, out int written) != OperationStatus.Done || written != SizeInBytes)
            return false;
        header = Read(bytes);
        return true;
    }

    /// <summary>Writes the 80-byte serialized header.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 80 bytes.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < SizeInBytes)
            ThrowHelper.ThrowArgument(nameof(destination), $"The destination holds {destination.Length} bytes; a header needs {SizeInBytes}.");
        BinaryPrimitives.WriteInt32LittleEndian(destination, Version);
        PreviousBlockHash.WriteLittleEndian(destination.Slice(4, UInt256.SizeInBytes));
        MerkleRoot.WriteLittleEndian(destination.Slice(36, UInt256.SizeInBytes));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[68..], Time);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[72..], Bits);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[NonceOffset..], Nonce);
    }

    /// <summary>The serialized header.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[SizeInBytes];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>The serialized header as 160 lowercase hex digits.</summary>
    public override string ToString() => Convert.ToHexStringLower(ToArray());

    /// <inheritdoc/>
    public bool Equals(BlockHeader other) =>
        Version == other.Version && PreviousBlockHash == other.PreviousBlockHash && MerkleRoot == other.MerkleRoot &&
        Time == other.Time && Bits == other.Bits && Nonce == other.Nonce;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BlockHeader other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Version, PreviousBlockHash, MerkleRoot, Time, Bits, Nonce);

    /// <inheritdoc/>
    public static bool operator ==(BlockHeader left, BlockHeader right) => left.Equals(right);

    /// <inheritdoc/>
    public static bool operator !=(BlockHeader left, BlockHeader right) => !left.Equals(right);
}
