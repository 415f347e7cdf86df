using HashTensorBench.Bitcoin;
using HashTensorBench.Tests.TestData;

namespace HashTensorBench.Tests.Bitcoin;

public sealed class HeaderCsvTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "htb-headers-" + Guid.NewGuid().ToString("N") + ".csv");

    public void Dispose() => File.Delete(_path);

    private static string Line(HeaderRow row) => $"{row.Height},{row.HeaderHex},{row.BlockHash},{row.Bits:x8},{row.Nonce}";

    [Fact]
    public void A_row_parses_to_its_block_and_may_leave_out_bits_and_nonce()
    {
        var genesis = RealHeaders.Embedded[0];
        Assert.Equal(genesis, HeaderRow.Parse(Line(genesis)));
        var block = HeaderRow.Parse($"{genesis.Height},{genesis.HeaderHex},{genesis.BlockHash}").ToBlock();
        Assert.Equal(KnownHeaders.Genesis, block);
    }

    [Theory]
    [InlineData(3, "1d00fffe", "nbits_hex 1d00fffe is not the header's 1d00ffff")]
    [InlineData(4, "2083236894", "nonce 2083236894 is not the header's 2083236893")]
    [InlineData(0, "x", "The input string 'x' was not in a correct format")]
    public void A_row_whose_columns_disagree_with_its_header_is_refused(int column, string value, string expected)
    {
        var fields = Line(RealHeaders.Embedded[0]).Split(',');
        fields[column] = value;
        Assert.StartsWith(expected, Assert.Throws<FormatException>(() => HeaderRow.Parse(string.Join(',', fields))).Message);
        Assert.StartsWith("expected height,header_hex,block_hash", Assert.Throws<FormatException>(() => HeaderRow.Parse("0,00")).Message);
    }

    [Fact]
    public void A_sample_spreads_over_the_file_and_a_bad_row_is_named_by_line()
    {
        var rows = KnownHeaders.All.Select(b => new HeaderRow(b.Height, b.Header.ToString(), b.Hash.ToString(), b.Header.Bits, b.Header.Nonce)).ToArray();
        File.WriteAllLines(_path, ["height,header_hex,block_hash,nbits_hex,nonce", .. rows.Select(Line), ""]);
        Assert.Equal(rows, HeaderCsv.Read(_path));
        // Five rows, two wanted: every second, from the first.
        Assert.Equal([rows[0], rows[2]], HeaderCsv.Sample(_path, 2));

        File.AppendAllLines(_path, ["6,zz"]);
        Assert.StartsWith($"{_path}, line 8: expected height", Assert.Throws<FormatException>(() => HeaderCsv.Read(_path)).Message);
    }
}
