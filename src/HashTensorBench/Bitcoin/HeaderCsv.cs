using System.Globalization;

namespace HashTensorBench.Bitcoin;

/// <summary>One row of a header CSV (<c>height,header_hex,block_hash,nbits_hex,nonce</c>), its columns as written.</summary>
/// <param name="Height">The block height.</param>
/// <param name="HeaderHex">The 80-byte header in hex, as in the file.</param>
/// <param name="BlockHash">The block hash in display order, as in the file.</param>
/// <param name="Bits">The compact target: the <c>nbits_hex</c> column, or the header's where the file has none.</param>
/// <param name="Nonce">The nonce: the <c>nonce</c> column, or the header's where the file has none.</param>
public sealed record HeaderRow(int Height, string HeaderHex, string BlockHash, uint Bits, uint Nonce)
{
    /// <summary>The header parsed.</summary>
    public BlockHeader Header => BlockHeader.Parse(HeaderHex);

    /// <summary>The row as a block whose hash is known.</summary>
    public KnownBlock ToBlock() => new(Height, Header, UInt256.Parse(BlockHash));

    /// <inheritdoc/>
    public override string ToString() => $"block {Height}";

    /// <summary>
    /// Parses one line. The <c>nbits_hex</c> and <c>nonce</c> columns may be left out; where present they must be the
    /// header's own, so a row whose columns disagree is caught rather than trusted.
    /// </summary>
    /// <exception cref="FormatException">Fewer than three columns, a malformed field, or bits or nonce not the header's.</exception>
    public static HeaderRow Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string[] fields = line.Split(',');
        if (fields.Length < 3)
            throw new FormatException($"expected height,header_hex,block_hash,nbits_hex,nonce; got \"{line[..Math.Min(line.Length, 60)]}\".");
        try
        {
            var header = BlockHeader.Parse(fields[1]);
            UInt256.Parse(fields[2]);
            uint bits = fields.Length > 3 ? uint.Parse(fields[3], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) : header.Bits;
            uint nonce = fields.Length > 4 ? uint.Parse(fields[4], CultureInfo.InvariantCulture) : header.Nonce;
            if (bits != header.Bits)
                throw new FormatException($"nbits_hex {bits:x8} is not the header's {header.Bits:x8}.");
            if (nonce != header.Nonce)
                throw new FormatException($"nonce {nonce} is not the header's {header.Nonce}.");
            return new HeaderRow(int.Parse(fields[0], CultureInfo.InvariantCulture), fields[1], fields[2], bits, nonce);
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentException)
        {
            throw new FormatException(ex.Message, ex);
        }
    }
}

/// <summary>A CSV of real headers, such as <c>../shared/data/bitcoin-mainnet-headers.csv</c>: a header line, then one <see cref="HeaderRow"/> a line.</summary>
public static class HeaderCsv
{
    /// <summary>Every row of the file at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">A row cannot be parsed; the message names the file and line.</exception>
    public static IReadOnlyList<HeaderRow> Read(string path) => Sample(path, int.MaxValue);

    /// <summary>At most <paramref name="count"/> rows spread evenly over the file, from its first: every era of the chain.</summary>
    /// <exception cref="FormatException">A sampled row cannot be parsed; the message names the file and line.</exception>
    public static IReadOnlyList<HeaderRow> Sample(string path, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        // Each row keeps its line number (the header line is 1), so that a bad row can be named.
        var rows = File.ReadLines(path).Select((text, i) => (Text: text, Line: i + 1)).Skip(1).Where(r => r.Text.Length > 0).ToArray();
        int step = Math.Max(1, rows.Length / count);
        return [.. rows.Where((_, i) => i % step == 0).Take(count).Select(row => Parse(path, row.Line, row.Text))];
    }

    private static HeaderRow Parse(string path, int line, string text)
    {
        try
        {
            return HeaderRow.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{path}, line {line}: {ex.Message}", ex);
        }
    }
}
