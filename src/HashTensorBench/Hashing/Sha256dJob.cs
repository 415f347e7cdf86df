using System.Buffers.Binary;
using HashTensorBench.Bitcoin;

namespace HashTensorBench.Hashing;

/// <summary>
/// Everything about a search that does not depend on the nonce, computed once on the host: the midstate
/// of the header's first 64 bytes, the first three rounds of the second block (their words precede the
/// nonce) and the part of round 3 that does not involve it, and the nonce-independent message words.
/// </summary>
internal sealed class Sha256dJob
{
    /// <summary>SHA-256's round constants.</summary>
    public static ReadOnlySpan<uint> K =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// <summary>SHA-256's initial hash value.</summary>
    public static ReadOnlySpan<uint> InitialState =>
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    /// <summary>The padding word after the data, and the bit lengths of the two messages.</summary>
    public const uint PaddingStart = 0x80000000, HeaderBits = 640, HashBits = 256;

    /// <summary>Folded message-schedule terms made of padding words only.</summary>
    public static readonly uint
        SmallSigma0OfHeaderBits = ScalarLanes.SmallSigma0(HeaderBits),
        SmallSigma0OfHashBits = ScalarLanes.SmallSigma0(HashBits),
        SmallSigma1OfHashBits = ScalarLanes.SmallSigma1(HashBits),
        SmallSigma0OfPaddingStart = ScalarLanes.SmallSigma0(PaddingStart);

    private readonly byte[] _header = new byte[BlockHeader.SizeInBytes];

    public Sha256dJob(in BlockHeader header, Target target)
    {
        header.WriteTo(_header);
        Version = header.Version;
        Target = target;
        Threshold = target.Value.HighWord;

        Span<uint> block = stackalloc uint[16];
        for (int i = 0; i < 16; i++)
            block[i] = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4 * i));
        Span<uint> state = stackalloc uint[8];
        InitialState.CopyTo(state);
        Compress(state, block);
        state.CopyTo(Midstate);

        // Second block: merkle-root tail, time and bits, then the nonce (word 3), then padding.
        for (int i = 0; i < 3; i++)
            Tail[i] = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(64 + 4 * i));
        for (int i = 0; i < 3; i++)
        {
            if (i == 2)
                state.CopyTo(Round2State);
            Round(state, i, Tail[i]);
        }
        uint partialT1 = state[7] + ScalarLanes.BigSigma1(state[4]) + ScalarLanes.Choose(state[4], state[5], state[6]) + K[3];
        uint t2 = ScalarLanes.BigSigma0(state[0]) + ScalarLanes.Majority(state[0], state[1], state[2]);
        // Round 3 adds the nonce word W3 to T1: a' = (T1' + T2) + W3, e' = (d + T1') + W3.
        Round3A = partialT1 + t2;
        Round3E = state[3] + partialT1;
        (Round3B, Round3C, Round3D) = (state[0], state[1], state[2]);
        (Round3F, Round3G, Round3H) = (state[4], state[5], state[6]);

        // W16 and W17 do not involve the nonce; W18 and W19 only through one term.
        W16 = ScalarLanes.SmallSigma0(Tail[1]) + Tail[0];
        W17 = ScalarLanes.SmallSigma1(HeaderBits) + ScalarLanes.SmallSigma0(Tail[2]) + Tail[1];
        W18Partial = ScalarLanes.SmallSigma1(W16) + Tail[2];
        W19Partial = ScalarLanes.SmallSigma1(W17) + SmallSigma0OfPaddingStart;
        W31Partial = ScalarLanes.SmallSigma0(W16) + HeaderBits;
        W32Partial = ScalarLanes.SmallSigma0(W17) + W16;
    }

    /// <summary>The header version every hash of the job uses.</summary>
    public int Version { get; }

    /// <summary>The target hits must meet.</summary>
    public Target Target { get; }

    /// <summary>The target's top 32 bits: a hash whose top word exceeds this cannot meet it.</summary>
    public uint Threshold { get; }

    /// <summary>The state after the header's first 64 bytes.</summary>
    public uint[] Midstate { get; } = new uint[8];

    /// <summary>
    /// The working variables a–h before round 2 of the second block, for kernels whose rounds go in pairs
    /// (SHA-NI's <c>sha256rnds2</c> runs rounds 2 and 3 together, the nonce being word 3).
    /// </summary>
    public uint[] Round2State { get; } = new uint[8];

    /// <summary>Words 0–2 of the second block.</summary>
    public uint[] Tail { get; } = new uint[3];

    /// <summary>The working variables after round 3 of the second block, less the nonce word in a and e.</summary>
    public uint Round3A { get; }
    public uint Round3B { get; }
    public uint Round3C { get; }
    public uint Round3D { get; }
    public uint Round3E { get; }
    public uint Round3F { get; }
    public uint Round3G { get; }
    public uint Round3H { get; }

    /// <summary>Message words of the second block that do not depend on the nonce, or depend on it through one term.</summary>
    public uint W16 { get; }
    public uint W17 { get; }
    public uint W18Partial { get; }
    public uint W19Partial { get; }
    public uint W31Partial { get; }
    public uint W32Partial { get; }

    /// <summary>Confirms a candidate exactly: its full hash, and whether it meets the target.</summary>
    public bool TryConfirm(uint nonce, out NonceHit hit)
    {
        Span<byte> header = stackalloc byte[BlockHeader.SizeInBytes];
        _header.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[BlockHeader.NonceOffset..], nonce);
        Span<byte> hash = stackalloc byte[Sha256d.HashSizeInBytes];
        Sha256d.HashData(header, hash);
        hit = new NonceHit(nonce, UInt256.FromLittleEndian(hash), Version);
        return Target.IsMetBy(hit.Hash);
    }

    /// <summary>The SHA-256 compression function, one 16-word block into <paramref name="state"/>.</summary>
    internal static void Compress(Span<uint> state, ReadOnlySpan<uint> block)
    {
        Span<uint> w = stackalloc uint[64];
        block.CopyTo(w);
        for (int i = 16; i < 64; i++)
            w[i] = ScalarLanes.SmallSigma1(w[i - 2]) + w[i - 7] + ScalarLanes.SmallSigma0(w[i - 15]) + w[i - 16];
        Span<uint> v = stackalloc uint[8];
        state.CopyTo(v);
        for (int i = 0; i < 64; i++)
            Round(v, i, w[i]);
        for (int i = 0; i < 8; i++)
            state[i] += v[i];
    }

    private static void Round(Span<uint> v, int i, uint w)
    {
        uint t1 = v[7] + ScalarLanes.BigSigma1(v[4]) + ScalarLanes.Choose(v[4], v[5], v[6]) + K[i] + w;
        uint t2 = ScalarLanes.BigSigma0(v[0]) + ScalarLanes.Majority(v[0], v[1], v[2]);
        v[7] = v[6];
        v[6] = v[5];
        v[5] = v[4];
        v[4] = v[3] + t1;
        v[3] = v[2];
        v[2] = v[1];
        v[1] = v[0];
        v[0] = t1 + t2;
    }
}
