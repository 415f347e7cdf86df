using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace HashTensorBench.Bitcoin;

/// <summary>
/// An unsigned 256-bit integer, the number behind block hashes and targets.
/// </summary>
/// <remarks>
/// Bitcoin serializes such numbers little-endian (a hash's bytes as SHA-256 outputs them) and displays
/// them big-endian: <see cref="ToString()"/> and <see cref="Parse(string)"/> use the display order, like
/// NBitcoin's <c>uint256</c>. Unlike <c>uint256(ulong)</c>, the <see cref="UInt256(ulong)"/> constructor
/// puts the value in the low 64 bits.
/// </remarks>
public readonly struct UInt256 : IEquatable<UInt256>, IComparable<UInt256>, IComparable,
    IComparisonOperators<UInt256, UInt256, bool>, IShiftOperators<UInt256, int, UInt256>
{
    /// <summary>The size of the serialized value.</summary>
    public const int SizeInBytes = 32;

    /// <summary>The number of hex digits in <see cref="ToString()"/>.</summary>
    public const int HexLength = 64;

    // Limbs, least significant first.
    private readonly ulong _u0, _u1, _u2, _u3;

    /// <summary>Creates a value from its four 64-bit limbs, least significant first.</summary>
    public UInt256(ulong u0, ulong u1, ulong u2, ulong u3) => (_u0, _u1, _u2, _u3) = (u0, u1, u2, u3);

    /// <summary>Creates a value below 2^64.</summary>
    public UInt256(ulong value) : this(value, 0, 0, 0) { }

    /// <summary>Zero.</summary>
    public static UInt256 Zero => default;

    /// <summary>2^256 − 1.</summary>
    public static UInt256 MaxValue => new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    /// <summary>Whether the value is zero.</summary>
    public bool IsZero => (_u0 | _u1 | _u2 | _u3) == 0;

    /// <summary>The most significant 32 bits, which the search kernels compare first.</summary>
    public uint HighWord => (uint)(_u3 >> 32);

    /// <summary>Reads 32 bytes in Bitcoin's serialized (little-endian) order, as a hash is stored.</summary>
    public static UInt256 FromLittleEndian(ReadOnlySpan<byte> source)
    {
        if (source.Length != SizeInBytes)
            ThrowHelper.ThrowArgument(nameof(source), $"A 256-bit value is {SizeInBytes} bytes, not {source.Length}.");
        return new(
            BinaryPrimitives.ReadUInt64LittleEndian(source),
            BinaryPrimitives.ReadUInt64LittleEndian(source[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[24..]));
    }

    /// <summary>Reads 32 bytes in display (big-endian) order.</summary>
    public static UInt256 FromBigEndian(ReadOnlySpan<byte> source)
    {
        if (source.Length != SizeInBytes)
            ThrowHelper.ThrowArgument(nameof(source), $"A 256-bit value is {SizeInBytes} bytes, not {source.Length}.");
        return new(
            BinaryPrimitives.ReadUInt64BigEndian(source[24..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(source));
    }

    /// <summary>Writes the value in Bitcoin's serialized (little-endian) order.</summary>
    public void WriteLittleEndian(Span<byte> destination)
    {
        if (destination.Length < SizeInBytes)
            ThrowHelper.ThrowArgument(nameof(destination), $"The destination holds {destination.Length} bytes; {SizeInBytes} are needed.");
        BinaryPrimitives.WriteUInt64LittleEndian(destination, _u0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _u1);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], _u2);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], _u3);
    }

    /// <summary>Writes the value in display (big-endian) order.</summary>
    public void WriteBigEndian(Span<byte> destination)
    {
        if (destination.Length < SizeInBytes)
            ThrowHelper.ThrowArgument(nameof(destination), $"The destination holds {destination.Length} bytes; {SizeInBytes} are needed.");
        BinaryPrimitives.WriteUInt64BigEndian(destination, _u3);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _u2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _u1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _u0);
    }

    /// <summary>The value as an arbitrary-precision integer.</summary>
    public BigInteger ToBigInteger()
    {
        Span<byte> bytes = stackalloc byte[SizeInBytes];
        WriteLittleEndian(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
    }

    /// <summary>Converts a non-negative integer below 2^256.</summary>
    /// <exception cref="OverflowException">The value is negative or needs more than 256 bits.</exception>
    public static UInt256 FromBigInteger(BigInteger value)
    {
        if (value.Sign < 0 || value.GetBitLength() > 256)
            ThrowHelper.ThrowOverflow($"{value} is outside the range of a 256-bit unsigned integer.");
        Span<byte> bytes = stackalloc byte[SizeInBytes];
        bytes.Clear();
        value.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        return FromLittleEndian(bytes);
    }

    /// <summary>The nearest double; exact below 2^53.</summary>
    public double ToDouble() => (double)ToBigInteger();

    /// <summary>Parses exactly 64 hex digits in display (big-endian) order, optionally prefixed by 0x.</summary>
    /// <exception cref="FormatException">The text is not 64 hex digits.</exception>
    public static UInt256 Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!TryParse(hex, out var value))
            ThrowHelper.ThrowFormat($"A 256-bit value is {HexLength} hex digits; got \"{Describe(hex)}\".");
        return value;
    }

    /// <summary>Parses exactly 64 hex digits in display order; false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? hex, out UInt256 value) => TryParse(hex.AsSpan(), out value);

    /// <summary>Parses exactly 64 hex digits in display order; false instead of throwing.</summary>
    public static bool TryParse(ReadOnlySpan<char> hex, out UInt256 value)
    {
        value = default;
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            hex = hex[2..];
        if (hex.Length != HexLength)
            return false;
        Span<byte> bytes = stackalloc byte[SizeInBytes];
        if (Convert.FromHexString(hex, bytes, out _, out int written) != System.Buffers.OperationStatus.Done || written != SizeInBytes)
            return false;
        value = FromBigEndian(bytes);
        return true;
    }

    /// <summary>64 lowercase hex digits in display (big-endian) order.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[SizeInBytes];
        WriteBigEndian(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <inheritdoc/>
    public bool Equals(UInt256 other) => _u0 == other._u0 && _u1 == other._u1 && _u2 == other._u2 && _u3 == other._u3;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is UInt256 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_u0, _u1, _u2, _u3);

    /// <inheritdoc/>
    public int CompareTo(UInt256 other)
    {
        if (_u3 != other._u3) return _u3.CompareTo(other._u3);
        if (_u2 != other._u2) return _u2.CompareTo(other._u2);
        if (_u1 != other._u1) return _u1.CompareTo(other._u1);
        return _u0.CompareTo(other._u0);
    }

    /// <inheritdoc/>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        UInt256 other => CompareTo(other),
        _ => throw new ArgumentException($"Object must be of type {nameof(UInt256)}.", nameof(obj)),
    };

    /// <summary>Shifts left, dropping bits past 2^255; shifts of 256 or more give zero.</summary>
    public static UInt256 operator <<(UInt256 value, int shiftAmount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shiftAmount);
        return shiftAmount >= 256 ? Zero : FromBigInteger((value.ToBigInteger() << shiftAmount) & MaxValue.ToBigInteger());
    }

    /// <summary>Shifts right; shifts of 256 or more give zero.</summary>
    public static UInt256 operator >>(UInt256 value, int shiftAmount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shiftAmount);
        return shiftAmount >= 256 ? Zero : FromBigInteger(value.ToBigInteger() >> shiftAmount);
    }

    /// <summary>Same as <c>&gt;&gt;</c>: the value is unsigned.</summary>
    public static UInt256 operator >>>(UInt256 value, int shiftAmount) => value >> shiftAmount;

    /// <inheritdoc/>
    public static bool operator ==(UInt256 left, UInt256 right) => left.Equals(right);

    /// <inheritdoc/>
    public static bool operator !=(UInt256 left, UInt256 right) => !left.Equals(right);

    /// <inheritdoc/>
    public static bool operator <(UInt256 left, UInt256 right) => left.CompareTo(right) < 0;

    /// <inheritdoc/>
    public static bool operator >(UInt256 left, UInt256 right) => left.CompareTo(right) > 0;

    /// <inheritdoc/>
    public static bool operator <=(UInt256 left, UInt256 right) => left.CompareTo(right) <= 0;

    /// <inheritdoc/>
    public static bool operator >=(UInt256 left, UInt256 right) => left.CompareTo(right) >= 0;

    /// <summary>Widens a 64-bit value.</summary>
    public static implicit operator UInt256(ulong value) => new(value);

    /// <summary>Quotes user input in an error message, shortened so that a pasted blob stays one line.</summary>
    internal static string Describe(ReadOnlySpan<char> text) =>
        text.Length <= 80 ? text.ToString() : string.Concat(text[..77], "...");
}
