using HashTensorBench.Bitcoin;

namespace HashTensorBench.Tests.TestData;

/// <summary>One real mainnet header with its known hash, bits and nonce.</summary>
public sealed record HeaderRecord(int Height, string HeaderHex, string BlockHash, uint Bits, uint Nonce)
{
    public BlockHeader Header => BlockHeader.Parse(HeaderHex);

    public override string ToString() => $"block {Height}";

    public static HeaderRecord ParseCsvLine(string line)
    {
        var fields = line.Split(',');
        return new HeaderRecord(int.Parse(fields[0]), fields[1], fields[2], Convert.ToUInt32(fields[3], 16), uint.Parse(fields[4]));
    }
}
