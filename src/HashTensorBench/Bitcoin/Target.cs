using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace HashTensorBench.Bitcoin;

/// <summary>
/// A proof-of-work target: a block hash, read as a little-endian 256-bit number, meets it when it is
/// less than or equal to it.
/// </summary>
/// <remarks>
/// Headers carry the target in the compact "nBits" form: one size byte, then a 23-bit mantissa and a sign
/// bit. <see cref="FromCompact"/> and <see cref="ToCompact"/> follow Bitcoin Core's
/// <c>arith_uint256::SetCompact</c>/<c>GetCompact</c> to the bit.
/// </remarks>
public readonly struct Target : IEquatable<Target>, IComparable<Target>, IEqualityOperators<Target, Target, bool>
{
    /// <summary>The compact form of difficulty 1, the largest target mainnet allows.</summary>
    public const uint Difficulty1Bits = 0x1d00ffff;

    /// <summary>Creates a target from its 256-bit value.</summary>
    public Target(UInt256 value) => Value = value;

    /// <summary>The target of difficulty 1 (<c>0x1d00ffff</c>, 0xffff·2^208).</summary>
    public static Target Difficulty1 { get; } = FromCompact(Difficulty1Bits);

    /// <summary>The 256-bit value; a hash meets the target when it is at most this.</summary>
    public UInt256 Value { get; }

    /// <summary>
    /// How many times harder than difficulty 1 this target is: <c>Difficulty1.Value / Value</c>, as Bitcoin
    /// Core's <c>GetDifficulty</c> reports it; positive infinity for a zero target.
    /// </summary>
    public double Difficulty => Value.IsZero ? double.PositiveInfinity : Difficulty1.Value.ToDouble() / Value.ToDouble();

    /// <summary>Whether a block hash (as a little-endian number) meets this target.</summary>
    public bool IsMetBy(UInt256 hash) => hash <= Value;

    /// <summary>Decodes compact nBits with Bitcoin Core's rules.</summary>
    /// <exception cref="FormatException">The sign bit is set on a non-zero mantissa: the target would be negative.</exception>
    /// <exception cref="OverflowException">The value does not fit in 256 bits.</exception>
    public static Target FromCompact(uint bits)
    {
        var status = DecodeCompact(bits, out var target);
        if (status == CompactStatus.Negative)
            ThrowHelper.ThrowFormat($"Compact target 0x{bits:x8} has the sign bit (0x00800000) set: the target would be negative.");
        if (status == CompactStatus.Overflow)
            ThrowHelper.ThrowOverflow($"Compact target 0x{bits:x8} does not fit in 256 bits.");
        return target;
    }

    /// <summary>Decodes compact nBits; false for a negative or overflowing value.</summary>
    public static bool TryFromCompact(uint bits, out Target target) => DecodeCompact(bits, out target) == CompactStatus.Valid;

    /// <summary>Encodes the target as compact nBits (Bitcoin Core's <c>GetCompact</c>, non-negative), losing all but the top 23 bits.</summary>
    public uint ToCompact()
    {
        int size = (int)((Value.ToBigInteger().GetBitLength() + 7) / 8);
        uint compact = size <= 3
            ? (uint)(Value.ToBigInteger() << (8 * (3 - size)))
            : (uint)(Value >> (8 * (size - 3))).ToBigInteger();
        // The mantissa's top bit is the sign: move a set one into a larger size.
        if ((compact & 0x00800000) != 0)
        {
            compact >>= 8;
            size++;
        }
        return compact | ((uint)size << 24);
    }

    /// <summary>Parses a target written as 64 hex digits in display (big-endian) order.</summary>
    /// <exception cref="FormatException">The text is not 64 hex digits.</exception>
    public static Target Parse(string hex) => new(UInt256.Parse(hex));

    /// <summary>Parses a target written as 64 hex digits; false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? hex, out Target target)
    {
        bool ok = UInt256.TryParse(hex, out var value);
        target = new(value);
        return ok;
    }

    /// <summary>Parses compact nBits written as 8 hex digits (an optional 0x prefix), such as <c>1d00ffff</c>.</summary>
    /// <exception cref="FormatException">The text is not 8 hex digits, or the sign bit is set.</exception>
    /// <exception cref="OverflowException">The value does not fit in 256 bits.</exception>
    public static Target ParseCompact(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = hex.AsSpan();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            digits = digits[2..];
        if (digits.Length == 8 && uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint bits))
            return FromCompact(bits);
        throw new FormatException($"Compact target bits are 8 hex digits, such as 1d00ffff; got \"{UInt256.Describe(hex)}\".");
    }

    /// <summary>64 hex digits in display order.</summary>
    public override string ToString() => Value.ToString();

    /// <inheritdoc/>
    public bool Equals(Target other) => Value == other.Value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Target other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(Target other) => Value.CompareTo(other.Value);

    /// <inheritdoc/>
    public static bool operator ==(Target left, Target right) => left.Equals(right);

    /// <inheritdoc/>
    public static bool operator !=(Target left, Target right) => !left.Equals(right);

    private enum CompactStatus { Valid, Negative, Overflow }

    // arith_uint256::SetCompact.
    private static CompactStatus DecodeCompact(uint bits, out Target target)
    {
        int size = (int)(bits >> 24);
        uint word = bits & 0x007fffff;
        // Core shifts a small size's mantissa before it looks at the sign: 0x01803456 is zero, not negative.
        if (size <= 3)
            word >>= 8 * (3 - size);
        target = default;
        if (word != 0 && (bits & 0x00800000) != 0)
            return CompactStatus.Negative;
        if (word != 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32)))
            return CompactStatus.Overflow;
        target = new Target(size <= 3 ? new UInt256(word) : new UInt256(word) << (8 * (size - 3)));
        return CompactStatus.Valid;
    }
}
