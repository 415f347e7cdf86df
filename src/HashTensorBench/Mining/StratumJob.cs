using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using HashTensorBench.Bitcoin;

namespace HashTensorBench.Mining;

/// <summary>
/// One Stratum V1 job, as <c>mining.notify</c> sends it, and the header it makes for an extranonce.
/// </summary>
/// <remarks>
/// The block is built as every Stratum miner builds it: coinbase = <see cref="Coinbase1"/> + extranonce1 +
/// extranonce2 + <see cref="Coinbase2"/>; its double SHA-256 is hashed up through <see cref="MerkleBranches"/>
/// to the merkle root, which goes into the header in internal byte order. The notify writes the previous
/// hash as its internal bytes with each 4-byte word reversed (<see cref="ParsePreviousHash"/>), and version,
/// nBits and nTime as 8 hex digits of the number.
/// </remarks>
public sealed class StratumJob
{
    private readonly byte[] _coinbase1;
    private readonly byte[] _coinbase2;

    /// <summary>Creates a job from its fields.</summary>
    /// <exception cref="ArgumentException">The job id is empty.</exception>
    public StratumJob(string jobId, UInt256 previousBlockHash, ReadOnlySpan<byte> coinbase1, ReadOnlySpan<byte> coinbase2,
        IReadOnlyList<UInt256> merkleBranches, int version, uint bits, uint time, bool cleanJobs)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentNullException.ThrowIfNull(merkleBranches);
        JobId = jobId;
        PreviousBlockHash = previousBlockHash;
        _coinbase1 = coinbase1.ToArray();
        _coinbase2 = coinbase2.ToArray();
        MerkleBranches = merkleBranches.ToArray();
        Version = version;
        Bits = bits;
        Time = time;
        CleanJobs = cleanJobs;
    }

    /// <summary>The pool's name for the job, sent back with each share.</summary>
    public string JobId { get; }

    /// <summary>The previous block's hash (as <see cref="BlockHeader.PreviousBlockHash"/> holds it).</summary>
    public UInt256 PreviousBlockHash { get; }

    /// <summary>The coinbase transaction's bytes before the extranonces.</summary>
    public ReadOnlyMemory<byte> Coinbase1 => _coinbase1;

    /// <summary>The coinbase transaction's bytes after the extranonces.</summary>
    public ReadOnlyMemory<byte> Coinbase2 => _coinbase2;

    /// <summary>The sibling hashes from the coinbase up to the merkle root, in internal byte order.</summary>
    public IReadOnlyList<UInt256> MerkleBranches { get; }

    /// <summary>The block version before any rolling.</summary>
    public int Version { get; }

    /// <summary>The network target in compact form.</summary>
    public uint Bits { get; }

    /// <summary>The block time the pool proposes.</summary>
    public uint Time { get; }

    /// <summary>Whether earlier jobs are void: a miner drops what it is searching at once.</summary>
    public bool CleanJobs { get; }

    /// <summary>The network target (<see cref="Bits"/>): a share whose hash also meets it is a block.</summary>
    public Target NetworkTarget => Target.FromCompact(Bits);

    /// <summary>The coinbase transaction for an extranonce pair.</summary>
    public byte[] Coinbase(ReadOnlySpan<byte> extranonce1, ReadOnlySpan<byte> extranonce2)
    {
        var coinbase = new byte[_coinbase1.Length + extranonce1.Length + extranonce2.Length + _coinbase2.Length];
        _coinbase1.CopyTo(coinbase, 0);
        extranonce1.CopyTo(coinbase.AsSpan(_coinbase1.Length));
        extranonce2.CopyTo(coinbase.AsSpan(_coinbase1.Length + extranonce1.Length));
        _coinbase2.CopyTo(coinbase, coinbase.Length - _coinbase2.Length);
        return coinbase;
    }

    /// <summary>The merkle root for an extranonce pair, in internal byte order.</summary>
    public UInt256 MerkleRoot(ReadOnlySpan<byte> extranonce1, ReadOnlySpan<byte> extranonce2) =>
        Merkle.RootFromBranches(Merkle.TransactionId(Coinbase(extranonce1, extranonce2)), MerkleBranches);

    /// <summary>The header to search for an extranonce pair, with nonce 0.</summary>
    /// <param name="extranonce1">The session's extranonce1, from <c>mining.subscribe</c>.</param>
    /// <param name="extranonce2">The miner's extranonce2, of the size the pool asked for.</param>
    /// <param name="time">The block time; the job's by default.</param>
    /// <param name="version">The (rolled) version; the job's by default.</param>
    public BlockHeader Header(ReadOnlySpan<byte> extranonce1, ReadOnlySpan<byte> extranonce2, uint? time = null, int? version = null) =>
        new(version ?? Version, PreviousBlockHash, MerkleRoot(extranonce1, extranonce2), time ?? Time, Bits, 0);

    /// <summary>
    /// Reads the <c>params</c> array of <c>mining.notify</c>: job id, previous hash, coinbase 1, coinbase 2,
    /// merkle branches, version, nBits, nTime, clean jobs.
    /// </summary>
    /// <exception cref="FormatException">A field is missing, of the wrong type, not hex, or of the wrong length.</exception>
    public static StratumJob FromNotifyParams(JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Array || parameters.GetArrayLength() < 9)
            ThrowHelper.ThrowFormat("mining.notify needs 9 parameters: job id, previous hash, coinbase 1, coinbase 2, merkle branches, version, nBits, nTime, clean jobs.");
        string jobId = Text(parameters[0], "job id");
        if (jobId.Length == 0)
            ThrowHelper.ThrowFormat("mining.notify: the job id is empty.");
        var previous = ParsePreviousHash(Text(parameters[1], "previous hash"));
        byte[] coinbase1 = Hex(Text(parameters[2], "coinbase 1"), "coinbase 1");
        byte[] coinbase2 = Hex(Text(parameters[3], "coinbase 2"), "coinbase 2");
        if (parameters[4].ValueKind != JsonValueKind.Array)
            ThrowHelper.ThrowFormat("mining.notify: the merkle branches are not an array.");
        var branches = new List<UInt256>();
        foreach (var branch in parameters[4].EnumerateArray())
        {
            byte[] bytes = Hex(Text(branch, "merkle branch"), "merkle branch");
            if (bytes.Length != UInt256.SizeInBytes)
                ThrowHelper.ThrowFormat($"mining.notify: a merkle branch is {UInt256.SizeInBytes} bytes, not {bytes.Length}.");
            branches.Add(UInt256.FromLittleEndian(bytes));
        }
        uint version = Word(Text(parameters[5], "version"), "version");
        uint bits = Word(Text(parameters[6], "nBits"), "nBits");
        if (!Target.TryFromCompact(bits, out _))
            ThrowHelper.ThrowFormat($"mining.notify: nBits {bits:x8} is not a valid compact target.");
        uint time = Word(Text(parameters[7], "nTime"), "nTime");
        var clean = parameters[8].ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new FormatException("mining.notify: clean jobs is not true or false."),
        };
        return new StratumJob(jobId, previous, coinbase1, coinbase2, branches, (int)version, bits, time, clean);
    }

    /// <summary>The <c>mining.notify</c> parameters of this job (what a pool sends).</summary>
    public void WriteNotifyParams(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        writer.WriteStringValue(JobId);
        writer.WriteStringValue(FormatPreviousHash(PreviousBlockHash));
        writer.WriteStringValue(Convert.ToHexStringLower(_coinbase1));
        writer.WriteStringValue(Convert.ToHexStringLower(_coinbase2));
        writer.WriteStartArray();
        Span<byte> bytes = stackalloc byte[UInt256.SizeInBytes];
        foreach (var branch in MerkleBranches)
        {
            branch.WriteLittleEndian(bytes);
            writer.WriteStringValue(Convert.ToHexStringLower(bytes));
        }
        writer.WriteEndArray();
        writer.WriteStringValue(FormatWord((uint)Version));
        writer.WriteStringValue(FormatWord(Bits));
        writer.WriteStringValue(FormatWord(Time));
        writer.WriteBooleanValue(CleanJobs);
        writer.WriteEndArray();
    }

    /// <summary>
    /// Reads the previous hash as <c>mining.notify</c> writes it: its 32 internal bytes in eight 4-byte words,
    /// each word's bytes reversed.
    /// </summary>
    /// <exception cref="FormatException">The text is not 64 hex digits.</exception>
    public static UInt256 ParsePreviousHash(string hex)
    {
        byte[] bytes = Hex(hex, "previous hash");
        if (bytes.Length != UInt256.SizeInBytes)
            ThrowHelper.ThrowFormat($"mining.notify: the previous hash is {UInt256.SizeInBytes} bytes (64 hex digits), not {bytes.Length}.");
        SwapWords(bytes);
        return UInt256.FromLittleEndian(bytes);
    }

    /// <summary>Writes a previous hash as <c>mining.notify</c> does (see <see cref="ParsePreviousHash"/>).</summary>
    public static string FormatPreviousHash(UInt256 hash)
    {
        var bytes = new byte[UInt256.SizeInBytes];
        hash.WriteLittleEndian(bytes);
        SwapWords(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>A 32-bit field (version, nBits, nTime, nonce) as Stratum writes it: 8 hex digits of the number.</summary>
    public static string FormatWord(uint value) => value.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Reads a 32-bit field written as 8 hex digits of the number.</summary>
    /// <exception cref="FormatException">The text is not 8 hex digits.</exception>
    public static uint ParseWord(string hex, string field)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return Word(hex, field);
    }

    private static uint Word(string hex, string field)
    {
        if (hex.Length != 8 || !uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value))
            throw new FormatException($"Stratum: {field} is 8 hex digits; got \"{Shorten(hex)}\".");
        return value;
    }

    private static void SwapWords(Span<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i += 4)
            BinaryPrimitives.WriteUInt32LittleEndian(bytes[i..], BinaryPrimitives.ReadUInt32BigEndian(bytes[i..]));
    }

    private static string Text(JsonElement element, string field) => element.ValueKind == JsonValueKind.String
        ? element.GetString()!
        : throw new FormatException($"mining.notify: {field} is not a string.");

    /// <summary>Decodes hex, naming the field in the error.</summary>
    internal static byte[] Hex(string hex, string field)
    {
        if (hex.Length % 2 != 0)
            ThrowHelper.ThrowFormat($"Stratum: {field} has an odd number of hex digits ({hex.Length}).");
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new FormatException($"Stratum: {field} is not hex: \"{Shorten(hex)}\".");
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");
}
