using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using HashTensorBench.Bitcoin;
using HashTensorBench.Hashing;

namespace HashTensorBench.Tests.Hashing;

public class Sha256Tests
{
    // FIPS 180-4 examples (NIST CSRC "SHA256.pdf" and "SHA2_Additional.pdf").
    [Theory]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void Compression_function_reproduces_the_fips_180_4_examples(string message, string digest)
    {
        // Pad by hand (FIPS 180-4 §5.1.1) and run the kernels' own compression over the blocks.
        byte[] data = Encoding.ASCII.GetBytes(message);
        int blocks = (data.Length + 8) / 64 + 1;
        var padded = new byte[blocks * 64];
        data.CopyTo(padded, 0);
        padded[data.Length] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(padded.AsSpan(padded.Length - 8), (ulong)data.Length * 8);

        Span<uint> state = stackalloc uint[8];
        Sha256dJob.InitialState.CopyTo(state);
        Span<uint> block = stackalloc uint[16];
        for (int b = 0; b < blocks; b++)
        {
            for (int i = 0; i < 16; i++)
                block[i] = BinaryPrimitives.ReadUInt32BigEndian(padded.AsSpan(64 * b + 4 * i));
            Sha256dJob.Compress(state, block);
        }
        var bytes = new byte[32];
        for (int i = 0; i < 8; i++)
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 * i), state[i]);
        Assert.Equal(digest, Convert.ToHexStringLower(bytes));
        Assert.Equal(digest, Convert.ToHexStringLower(SHA256.HashData(data)));
    }

    [Fact]
    public void Sha256d_is_sha256_twice_for_every_length()
    {
        var random = new Random(1);
        for (int length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(SHA256.HashData(SHA256.HashData(data)), Sha256d.HashData(data));
        }
    }

    [Fact]
    public void Sha256d_refuses_a_short_destination()
    {
        Assert.False(Sha256d.TryHashData([1, 2, 3], new byte[31], out int written));
        Assert.Equal(0, written);
        Assert.Throws<ArgumentException>(() => Sha256d.HashData([1, 2, 3], new byte[31]));
    }
}
