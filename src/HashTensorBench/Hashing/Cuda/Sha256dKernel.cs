using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using static HashTensorBench.Hashing.ScalarLanes;

namespace HashTensorBench.Hashing.Cuda;

/// <summary>
/// The nonce-independent part of a sha256d search, computed on the host (<see cref="Sha256dJob"/>)
/// and passed to every thread by value.
/// </summary>
internal struct Sha256dKernelParameters
{
    public uint Round3A, Round3B, Round3C, Round3D, Round3E, Round3F, Round3G, Round3H;
    public uint Mid0, Mid1, Mid2, Mid3, Mid4, Mid5, Mid6, Mid7;
    public uint W16, W17, W18Partial, W19Partial, W31Partial, W32Partial;

    /// <summary>The target's top word: a hash whose top word exceeds it cannot meet the target.</summary>
    public uint Threshold;

    /// <summary>The launch covers nonces <c>[Start, Start + Count)</c>, <see cref="NoncesPerThread"/> per thread.</summary>
    public uint Start, Count, NoncesPerThread;

    /// <summary>How many candidate nonces the result buffer holds after its counter.</summary>
    public uint Capacity;
}

/// <summary>
/// The sha256d nonce search as an ILGPU kernel: one thread tries <see cref="Sha256dKernelParameters.NoncesPerThread"/>
/// consecutive nonces, and writes those whose hash's top word can meet the target to a bounded buffer.
/// </summary>
/// <remarks>
/// The same tricks as the CPU kernel (<see cref="Hashing.Cpu.Sha256dLaneKernel{TVec, TLanes}"/>): the midstate and
/// rounds 0–2 come from the host, padding words are constants the compilers fold, and the second hash stops
/// after round 60, whose new e is the last state word. Every round is written out with the state in scalar
/// locals, so the state stays in registers (an indexed array would go to local memory). The round
/// functions are the CPU's scalar ones (<see cref="ScalarLanes"/>): their rotates are
/// <see cref="BitOperations.RotateRight(uint, int)"/>, which ptxas turns into one funnel shift.
/// </remarks>
internal static class Sha256dKernel
{
    private const uint PaddingStart = 0x80000000, HeaderBits = 640, HashBits = 256;

    /// <summary>
    /// The kernel. <paramref name="results"/>[0] counts candidates (it may exceed the capacity: the host then
    /// searches the launch again in smaller pieces); candidate nonces follow, in no order.
    /// </summary>
    public static void Search(Index1D index, Sha256dKernelParameters p, ArrayView<uint> results)
    {
        uint first = (uint)index.X * p.NoncesPerThread;
        for (uint j = 0; j < p.NoncesPerThread; j++)
        {
            uint offset = first + j;
            if (offset >= p.Count)
                return;
            uint nonce = p.Start + offset;
            if (ReverseEndianness(LastWord(p, nonce)) <= p.Threshold)
            {
                uint slot = Atomic.Add(ref results[0], 1u);
                if (slot < p.Capacity)
                    results[1 + (long)slot] = nonce;
            }
        }
    }

    /// <summary>The last state word of sha256d of the header with <paramref name="nonce"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint LastWord(in Sha256dKernelParameters p, uint nonce)
    {
        // The nonce is little-endian in the header; SHA-256 reads it as a big-endian word. Round 3 is
        // the first that sees it.
        uint w3 = ReverseEndianness(nonce);
        uint a = p.Round3A + w3, b = p.Round3B, c = p.Round3C, d = p.Round3D;
        uint e = p.Round3E + w3, f = p.Round3F, g = p.Round3G, h = p.Round3H;

        // Rounds 4–63 of the header's second block: W4 and W15 are padding, W5..W14 zero.
        Round(a, b, c, ref d, e, f, g, ref h, 0x3956c25bu + PaddingStart);
        Round(h, a, b, ref c, d, e, f, ref g, 0x59f111f1u);
        Round(g, h, a, ref b, c, d, e, ref f, 0x923f82a4u);
        Round(f, g, h, ref a, b, c, d, ref e, 0xab1c5ed5u);
        Round(e, f, g, ref h, a, b, c, ref d, 0xd807aa98u);
        Round(d, e, f, ref g, h, a, b, ref c, 0x12835b01u);
        Round(c, d, e, ref f, g, h, a, ref b, 0x243185beu);
        Round(b, c, d, ref e, f, g, h, ref a, 0x550c7dc3u);
        Round(a, b, c, ref d, e, f, g, ref h, 0x72be5d74u);
        Round(h, a, b, ref c, d, e, f, ref g, 0x80deb1feu);
        Round(g, h, a, ref b, c, d, e, ref f, 0x9bdc06a7u);
        Round(f, g, h, ref a, b, c, d, ref e, 0xc19bf174u + HeaderBits);
        uint v16 = p.W16, v17 = p.W17;
        uint v18 = SmallSigma0(w3) + p.W18Partial;
        uint v19 = w3 + p.W19Partial;
        uint v20 = SmallSigma1(v18) + PaddingStart;
        uint v21 = SmallSigma1(v19);
        uint v22 = SmallSigma1(v20) + HeaderBits;
        uint v23 = SmallSigma1(v21) + v16;
        uint v24 = SmallSigma1(v22) + v17;
        uint v25 = SmallSigma1(v23) + v18;
        uint v26 = SmallSigma1(v24) + v19;
        uint v27 = SmallSigma1(v25) + v20;
        uint v28 = SmallSigma1(v26) + v21;
        uint v29 = SmallSigma1(v27) + v22;
        uint v30 = SmallSigma1(v28) + v23 + SmallSigma0OfHeaderBits;
        uint v31 = SmallSigma1(v29) + v24 + p.W31Partial;
        uint v32 = SmallSigma1(v30) + v25 + p.W32Partial;
        uint v33 = SmallSigma1(v31) + v26 + SmallSigma0(v18) + v17;
        Round(e, f, g, ref h, a, b, c, ref d, 0xe49b69c1u + v16);
        Round(d, e, f, ref g, h, a, b, ref c, 0xefbe4786u + v17);
        Round(c, d, e, ref f, g, h, a, ref b, 0x0fc19dc6u + v18);
        Round(b, c, d, ref e, f, g, h, ref a, 0x240ca1ccu + v19);
        Round(a, b, c, ref d, e, f, g, ref h, 0x2de92c6fu + v20);
        Round(h, a, b, ref c, d, e, f, ref g, 0x4a7484aau + v21);
        Round(g, h, a, ref b, c, d, e, ref f, 0x5cb0a9dcu + v22);
        Round(f, g, h, ref a, b, c, d, ref e, 0x76f988dau + v23);
        Round(e, f, g, ref h, a, b, c, ref d, 0x983e5152u + v24);
        Round(d, e, f, ref g, h, a, b, ref c, 0xa831c66du + v25);
        Round(c, d, e, ref f, g, h, a, ref b, 0xb00327c8u + v26);
        Round(b, c, d, ref e, f, g, h, ref a, 0xbf597fc7u + v27);
        Round(a, b, c, ref d, e, f, g, ref h, 0xc6e00bf3u + v28);
        Round(h, a, b, ref c, d, e, f, ref g, 0xd5a79147u + v29);
        Round(g, h, a, ref b, c, d, e, ref f, 0x06ca6351u + v30);
        Round(f, g, h, ref a, b, c, d, ref e, 0x14292967u + v31);
        Round(e, f, g, ref h, a, b, c, ref d, 0x27b70a85u + v32);
        Round(d, e, f, ref g, h, a, b, ref c, 0x2e1b2138u + v33);
        uint v34 = SmallSigma1(v32) + v27 + SmallSigma0(v19) + v18;
        Round(c, d, e, ref f, g, h, a, ref b, 0x4d2c6dfcu + v34);
        uint v35 = SmallSigma1(v33) + v28 + SmallSigma0(v20) + v19;
        Round(b, c, d, ref e, f, g, h, ref a, 0x53380d13u + v35);
        uint v36 = SmallSigma1(v34) + v29 + SmallSigma0(v21) + v20;
        Round(a, b, c, ref d, e, f, g, ref h, 0x650a7354u + v36);
        uint v37 = SmallSigma1(v35) + v30 + SmallSigma0(v22) + v21;
        Round(h, a, b, ref c, d, e, f, ref g, 0x766a0abbu + v37);
        uint v38 = SmallSigma1(v36) + v31 + SmallSigma0(v23) + v22;
        Round(g, h, a, ref b, c, d, e, ref f, 0x81c2c92eu + v38);
        uint v39 = SmallSigma1(v37) + v32 + SmallSigma0(v24) + v23;
        Round(f, g, h, ref a, b, c, d, ref e, 0x92722c85u + v39);
        uint v40 = SmallSigma1(v38) + v33 + SmallSigma0(v25) + v24;
        Round(e, f, g, ref h, a, b, c, ref d, 0xa2bfe8a1u + v40);
        uint v41 = SmallSigma1(v39) + v34 + SmallSigma0(v26) + v25;
        Round(d, e, f, ref g, h, a, b, ref c, 0xa81a664bu + v41);
        uint v42 = SmallSigma1(v40) + v35 + SmallSigma0(v27) + v26;
        Round(c, d, e, ref f, g, h, a, ref b, 0xc24b8b70u + v42);
        uint v43 = SmallSigma1(v41) + v36 + SmallSigma0(v28) + v27;
        Round(b, c, d, ref e, f, g, h, ref a, 0xc76c51a3u + v43);
        uint v44 = SmallSigma1(v42) + v37 + SmallSigma0(v29) + v28;
        Round(a, b, c, ref d, e, f, g, ref h, 0xd192e819u + v44);
        uint v45 = SmallSigma1(v43) + v38 + SmallSigma0(v30) + v29;
        Round(h, a, b, ref c, d, e, f, ref g, 0xd6990624u + v45);
        uint v46 = SmallSigma1(v44) + v39 + SmallSigma0(v31) + v30;
        Round(g, h, a, ref b, c, d, e, ref f, 0xf40e3585u + v46);
        uint v47 = SmallSigma1(v45) + v40 + SmallSigma0(v32) + v31;
        Round(f, g, h, ref a, b, c, d, ref e, 0x106aa070u + v47);
        uint v48 = SmallSigma1(v46) + v41 + SmallSigma0(v33) + v32;
        Round(e, f, g, ref h, a, b, c, ref d, 0x19a4c116u + v48);
        uint v49 = SmallSigma1(v47) + v42 + SmallSigma0(v34) + v33;
        Round(d, e, f, ref g, h, a, b, ref c, 0x1e376c08u + v49);
        uint v50 = SmallSigma1(v48) + v43 + SmallSigma0(v35) + v34;
        Round(c, d, e, ref f, g, h, a, ref b, 0x2748774cu + v50);
        uint v51 = SmallSigma1(v49) + v44 + SmallSigma0(v36) + v35;
        Round(b, c, d, ref e, f, g, h, ref a, 0x34b0bcb5u + v51);
        uint v52 = SmallSigma1(v50) + v45 + SmallSigma0(v37) + v36;
        Round(a, b, c, ref d, e, f, g, ref h, 0x391c0cb3u + v52);
        uint v53 = SmallSigma1(v51) + v46 + SmallSigma0(v38) + v37;
        Round(h, a, b, ref c, d, e, f, ref g, 0x4ed8aa4au + v53);
        uint v54 = SmallSigma1(v52) + v47 + SmallSigma0(v39) + v38;
        Round(g, h, a, ref b, c, d, e, ref f, 0x5b9cca4fu + v54);
        uint v55 = SmallSigma1(v53) + v48 + SmallSigma0(v40) + v39;
        Round(f, g, h, ref a, b, c, d, ref e, 0x682e6ff3u + v55);
        uint v56 = SmallSigma1(v54) + v49 + SmallSigma0(v41) + v40;
        Round(e, f, g, ref h, a, b, c, ref d, 0x748f82eeu + v56);
        uint v57 = SmallSigma1(v55) + v50 + SmallSigma0(v42) + v41;
        Round(d, e, f, ref g, h, a, b, ref c, 0x78a5636fu + v57);
        uint v58 = SmallSigma1(v56) + v51 + SmallSigma0(v43) + v42;
        Round(c, d, e, ref f, g, h, a, ref b, 0x84c87814u + v58);
        uint v59 = SmallSigma1(v57) + v52 + SmallSigma0(v44) + v43;
        Round(b, c, d, ref e, f, g, h, ref a, 0x8cc70208u + v59);
        uint v60 = SmallSigma1(v58) + v53 + SmallSigma0(v45) + v44;
        Round(a, b, c, ref d, e, f, g, ref h, 0x90befffau + v60);
        uint v61 = SmallSigma1(v59) + v54 + SmallSigma0(v46) + v45;
        Round(h, a, b, ref c, d, e, f, ref g, 0xa4506cebu + v61);
        uint v62 = SmallSigma1(v60) + v55 + SmallSigma0(v47) + v46;
        Round(g, h, a, ref b, c, d, e, ref f, 0xbef9a3f7u + v62);
        uint v63 = SmallSigma1(v61) + v56 + SmallSigma0(v48) + v47;
        Round(f, g, h, ref a, b, c, d, ref e, 0xc67178f2u + v63);

        // The first hash; the last rounds left the roles rotated by four.
        uint x0 = p.Mid0 + e, x1 = p.Mid1 + f, x2 = p.Mid2 + g, x3 = p.Mid3 + h;
        uint x4 = p.Mid4 + a, x5 = p.Mid5 + b, x6 = p.Mid6 + c, x7 = p.Mid7 + d;

        // The second hash, one block: x0..x7, then W8 and W15 padding, W9..W14 zero.
        a = 0x6a09e667; b = 0xbb67ae85; c = 0x3c6ef372; d = 0xa54ff53a;
        e = 0x510e527f; f = 0x9b05688c; g = 0x1f83d9ab; h = 0x5be0cd19;
        Round(a, b, c, ref d, e, f, g, ref h, 0x428a2f98u + x0);
        Round(h, a, b, ref c, d, e, f, ref g, 0x71374491u + x1);
        Round(g, h, a, ref b, c, d, e, ref f, 0xb5c0fbcfu + x2);
        Round(f, g, h, ref a, b, c, d, ref e, 0xe9b5dba5u + x3);
        Round(e, f, g, ref h, a, b, c, ref d, 0x3956c25bu + x4);
        Round(d, e, f, ref g, h, a, b, ref c, 0x59f111f1u + x5);
        Round(c, d, e, ref f, g, h, a, ref b, 0x923f82a4u + x6);
        Round(b, c, d, ref e, f, g, h, ref a, 0xab1c5ed5u + x7);
        Round(a, b, c, ref d, e, f, g, ref h, unchecked(0xd807aa98u + PaddingStart));
        Round(h, a, b, ref c, d, e, f, ref g, 0x12835b01u);
        Round(g, h, a, ref b, c, d, e, ref f, 0x243185beu);
        Round(f, g, h, ref a, b, c, d, ref e, 0x550c7dc3u);
        Round(e, f, g, ref h, a, b, c, ref d, 0x72be5d74u);
        Round(d, e, f, ref g, h, a, b, ref c, 0x80deb1feu);
        Round(c, d, e, ref f, g, h, a, ref b, 0x9bdc06a7u);
        Round(b, c, d, ref e, f, g, h, ref a, 0xc19bf174u + HashBits);
        uint x16 = SmallSigma0(x1) + x0;
        uint x17 = SmallSigma0(x2) + x1 + SmallSigma1OfHashBits;
        uint x18 = SmallSigma1(x16) + SmallSigma0(x3) + x2;
        uint x19 = SmallSigma1(x17) + SmallSigma0(x4) + x3;
        uint x20 = SmallSigma1(x18) + SmallSigma0(x5) + x4;
        uint x21 = SmallSigma1(x19) + SmallSigma0(x6) + x5;
        uint x22 = SmallSigma1(x20) + SmallSigma0(x7) + x6 + HashBits;
        uint x23 = SmallSigma1(x21) + x16 + x7 + SmallSigma0OfPaddingStart;
        uint x24 = SmallSigma1(x22) + x17 + PaddingStart;
        uint x25 = SmallSigma1(x23) + x18;
        uint x26 = SmallSigma1(x24) + x19;
        uint x27 = SmallSigma1(x25) + x20;
        uint x28 = SmallSigma1(x26) + x21;
        uint x29 = SmallSigma1(x27) + x22;
        uint x30 = SmallSigma1(x28) + x23 + SmallSigma0OfHashBits;
        uint x31 = SmallSigma1(x29) + x24 + SmallSigma0(x16) + HashBits;
        Round(a, b, c, ref d, e, f, g, ref h, 0xe49b69c1u + x16);
        Round(h, a, b, ref c, d, e, f, ref g, 0xefbe4786u + x17);
        Round(g, h, a, ref b, c, d, e, ref f, 0x0fc19dc6u + x18);
        Round(f, g, h, ref a, b, c, d, ref e, 0x240ca1ccu + x19);
        Round(e, f, g, ref h, a, b, c, ref d, 0x2de92c6fu + x20);
        Round(d, e, f, ref g, h, a, b, ref c, 0x4a7484aau + x21);
        Round(c, d, e, ref f, g, h, a, ref b, 0x5cb0a9dcu + x22);
        Round(b, c, d, ref e, f, g, h, ref a, 0x76f988dau + x23);
        Round(a, b, c, ref d, e, f, g, ref h, 0x983e5152u + x24);
        Round(h, a, b, ref c, d, e, f, ref g, 0xa831c66du + x25);
        Round(g, h, a, ref b, c, d, e, ref f, 0xb00327c8u + x26);
        Round(f, g, h, ref a, b, c, d, ref e, 0xbf597fc7u + x27);
        Round(e, f, g, ref h, a, b, c, ref d, 0xc6e00bf3u + x28);
        Round(d, e, f, ref g, h, a, b, ref c, 0xd5a79147u + x29);
        Round(c, d, e, ref f, g, h, a, ref b, 0x06ca6351u + x30);
        Round(b, c, d, ref e, f, g, h, ref a, 0x14292967u + x31);
        uint x32 = SmallSigma1(x30) + x25 + SmallSigma0(x17) + x16;
        Round(a, b, c, ref d, e, f, g, ref h, 0x27b70a85u + x32);
        uint x33 = SmallSigma1(x31) + x26 + SmallSigma0(x18) + x17;
        Round(h, a, b, ref c, d, e, f, ref g, 0x2e1b2138u + x33);
        uint x34 = SmallSigma1(x32) + x27 + SmallSigma0(x19) + x18;
        Round(g, h, a, ref b, c, d, e, ref f, 0x4d2c6dfcu + x34);
        uint x35 = SmallSigma1(x33) + x28 + SmallSigma0(x20) + x19;
        Round(f, g, h, ref a, b, c, d, ref e, 0x53380d13u + x35);
        uint x36 = SmallSigma1(x34) + x29 + SmallSigma0(x21) + x20;
        Round(e, f, g, ref h, a, b, c, ref d, 0x650a7354u + x36);
        uint x37 = SmallSigma1(x35) + x30 + SmallSigma0(x22) + x21;
        Round(d, e, f, ref g, h, a, b, ref c, 0x766a0abbu + x37);
        uint x38 = SmallSigma1(x36) + x31 + SmallSigma0(x23) + x22;
        Round(c, d, e, ref f, g, h, a, ref b, 0x81c2c92eu + x38);
        uint x39 = SmallSigma1(x37) + x32 + SmallSigma0(x24) + x23;
        Round(b, c, d, ref e, f, g, h, ref a, 0x92722c85u + x39);
        uint x40 = SmallSigma1(x38) + x33 + SmallSigma0(x25) + x24;
        Round(a, b, c, ref d, e, f, g, ref h, 0xa2bfe8a1u + x40);
        uint x41 = SmallSigma1(x39) + x34 + SmallSigma0(x26) + x25;
        Round(h, a, b, ref c, d, e, f, ref g, 0xa81a664bu + x41);
        uint x42 = SmallSigma1(x40) + x35 + SmallSigma0(x27) + x26;
        Round(g, h, a, ref b, c, d, e, ref f, 0xc24b8b70u + x42);
        uint x43 = SmallSigma1(x41) + x36 + SmallSigma0(x28) + x27;
        Round(f, g, h, ref a, b, c, d, ref e, 0xc76c51a3u + x43);
        uint x44 = SmallSigma1(x42) + x37 + SmallSigma0(x29) + x28;
        Round(e, f, g, ref h, a, b, c, ref d, 0xd192e819u + x44);
        uint x45 = SmallSigma1(x43) + x38 + SmallSigma0(x30) + x29;
        Round(d, e, f, ref g, h, a, b, ref c, 0xd6990624u + x45);
        uint x46 = SmallSigma1(x44) + x39 + SmallSigma0(x31) + x30;
        Round(c, d, e, ref f, g, h, a, ref b, 0xf40e3585u + x46);
        uint x47 = SmallSigma1(x45) + x40 + SmallSigma0(x32) + x31;
        Round(b, c, d, ref e, f, g, h, ref a, 0x106aa070u + x47);
        uint x48 = SmallSigma1(x46) + x41 + SmallSigma0(x33) + x32;
        Round(a, b, c, ref d, e, f, g, ref h, 0x19a4c116u + x48);
        uint x49 = SmallSigma1(x47) + x42 + SmallSigma0(x34) + x33;
        Round(h, a, b, ref c, d, e, f, ref g, 0x1e376c08u + x49);
        uint x50 = SmallSigma1(x48) + x43 + SmallSigma0(x35) + x34;
        Round(g, h, a, ref b, c, d, e, ref f, 0x2748774cu + x50);
        uint x51 = SmallSigma1(x49) + x44 + SmallSigma0(x36) + x35;
        Round(f, g, h, ref a, b, c, d, ref e, 0x34b0bcb5u + x51);
        uint x52 = SmallSigma1(x50) + x45 + SmallSigma0(x37) + x36;
        Round(e, f, g, ref h, a, b, c, ref d, 0x391c0cb3u + x52);
        uint x53 = SmallSigma1(x51) + x46 + SmallSigma0(x38) + x37;
        Round(d, e, f, ref g, h, a, b, ref c, 0x4ed8aa4au + x53);
        uint x54 = SmallSigma1(x52) + x47 + SmallSigma0(x39) + x38;
        Round(c, d, e, ref f, g, h, a, ref b, 0x5b9cca4fu + x54);
        uint x55 = SmallSigma1(x53) + x48 + SmallSigma0(x40) + x39;
        Round(b, c, d, ref e, f, g, h, ref a, 0x682e6ff3u + x55);
        uint x56 = SmallSigma1(x54) + x49 + SmallSigma0(x41) + x40;
        Round(a, b, c, ref d, e, f, g, ref h, 0x748f82eeu + x56);
        uint x57 = SmallSigma1(x55) + x50 + SmallSigma0(x42) + x41;
        Round(h, a, b, ref c, d, e, f, ref g, 0x78a5636fu + x57);
        uint x58 = SmallSigma1(x56) + x51 + SmallSigma0(x43) + x42;
        Round(g, h, a, ref b, c, d, e, ref f, 0x84c87814u + x58);
        uint x59 = SmallSigma1(x57) + x52 + SmallSigma0(x44) + x43;
        Round(f, g, h, ref a, b, c, d, ref e, 0x8cc70208u + x59);
        uint x60 = SmallSigma1(x58) + x53 + SmallSigma0(x45) + x44;

        // Round 60's new e (roles: a→e, b→f, c→g, d→h, e→a) is the final h; rounds 61–63 only move it.
        uint t1 = d + 0x90befffau + x60 + Choose(a, b, c) + BigSigma1(a);
        return h + t1 + 0x5be0cd19u;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(uint a, uint b, uint c, ref uint d, uint e, uint f, uint g, ref uint h, uint kw)
    {
        uint t1 = h + kw + Choose(e, f, g) + BigSigma1(e);
        d += t1;
        h = t1 + BigSigma0(a) + Majority(a, b, c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReverseEndianness(uint x) => (x << 24) | ((x & 0xff00) << 8) | ((x >> 8) & 0xff00) | (x >> 24);

    // Padding-only schedule terms as literals (kernels read no static fields); a test checks them
    // against Sha256dJob's.
    internal const uint SmallSigma0OfHeaderBits = 0x00a00055, SmallSigma0OfHashBits = 0x00400022,
        SmallSigma1OfHashBits = 0x00a00000, SmallSigma0OfPaddingStart = 0x11002000;
}
