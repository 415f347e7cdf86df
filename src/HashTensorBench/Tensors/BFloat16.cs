using System.Globalization;

namespace HashTensorBench.Tensors;

/// <summary>
/// Brain floating point: the upper 16 bits of an IEEE single (sign, 8-bit exponent, 7 stored mantissa bits), the
/// input format of most training runs. .NET 10 has no such type; this one only converts, exactly to
/// <see cref="float"/> and by round-to-nearest-even from it, as CUDA's <c>__float2bfloat16</c> and PyTorch do.
/// </summary>
public readonly struct BFloat16 : IEquatable<BFloat16>
{
    private BFloat16(ushort bits) => Bits = bits;

    /// <summary>The 16 bits as stored.</summary>
    public ushort Bits { get; }

    /// <summary>The value with these bits.</summary>
    public static BFloat16 FromBits(ushort bits) => new(bits);

    /// <summary>Widens exactly: every BF16 value is a float.</summary>
    public static explicit operator float(BFloat16 value) => BitConverter.UInt32BitsToSingle((uint)value.Bits << 16);

    /// <summary>Rounds to the nearest BF16, ties to even; NaN stays NaN (made quiet), infinities and overflow become infinities.</summary>
    public static explicit operator BFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
            return new BFloat16((ushort)((bits >> 16) | 0x40));
        // Adding 0x7FFF plus the kept part's lowest bit rounds half to even; a carry into the exponent is the
        // right result, up to infinity.
        uint rounded = bits + 0x7FFFu + ((bits >> 16) & 1);
        return new BFloat16((ushort)(rounded >> 16));
    }

    /// <inheritdoc/>
    public bool Equals(BFloat16 other) => Bits == other.Bits;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BFloat16 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Bits;

    /// <summary>Compares the bits (so NaN equals the same NaN, and 0 differs from −0).</summary>
    public static bool operator ==(BFloat16 left, BFloat16 right) => left.Equals(right);

    /// <summary>Compares the bits.</summary>
    public static bool operator !=(BFloat16 left, BFloat16 right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => ((float)this).ToString(CultureInfo.InvariantCulture);
}
