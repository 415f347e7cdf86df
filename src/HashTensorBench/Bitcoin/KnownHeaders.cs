namespace HashTensorBench.Bitcoin;

/// <summary>A real mainnet block: its height, its header, and the hash the network accepted.</summary>
/// <param name="Height">The block height.</param>
/// <param name="Header">The 80-byte header.</param>
/// <param name="Hash">The block hash (display order in <see cref="UInt256.ToString()"/>).</param>
public sealed record KnownBlock(int Height, BlockHeader Header, UInt256 Hash)
{
    /// <inheritdoc/>
    public override string ToString() => $"block {Height}";
}

/// <summary>
/// A few real mainnet headers with their known hashes, so that every device can be checked against real
/// proof of work on a machine with nothing else: the genesis block, block 1, block 100000, block 125552
/// (the usual test vector) and block 830000 (mined with BIP 320 version rolling).
/// </summary>
public static class KnownHeaders
{
    /// <summary>The blocks, by height.</summary>
    public static IReadOnlyList<KnownBlock> All { get; } =
    [
        Block(0, "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c",
            "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f"),
        Block(1, "010000006fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000982051fd1e4ba744bbbe680e1fee14677ba1a3c3540bf7b1cdb606e857233e0e61bc6649ffff001d01e36299",
            "00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048"),
        Block(100000, "0100000050120119172a610421a6c3011dd330d9df07b63616c2cc1f1cd00200000000006657a9252aacd5c0b2940996ecff952228c3067cc38d4885efb5a4ac4247e9f337221b4d4c86041b0f2b5710",
            "000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506"),
        Block(125552, "0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695",
            "00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d"),
        Block(830000, "0080ee2578a3104f1a64159e5a953a4a1015795a1e66894bf7c00200000000000000000070adb2fd1ac9b017ea1a2e66457af0514dfbae502efd20473e6e77c2d4cf568a410fc9655dba0317403497a1",
            "000000000000000000011d55599ed27d7efca05f5849b755319c89eb2cffbc1f"),
    ];

    /// <summary>The genesis block.</summary>
    public static KnownBlock Genesis => All[0];

    private static KnownBlock Block(int height, string header, string hash) => new(height, BlockHeader.Parse(header), UInt256.Parse(hash));
}
