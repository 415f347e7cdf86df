namespace HashTensorBench.Mining.Stratum;

/// <summary>What one connection to the pool learned; a new connection starts from nothing.</summary>
/// <param name="number">The connection's number, counted from 1: work names the session it belongs to.</param>
/// <param name="url">The pool it connects to.</param>
internal sealed class StratumSession(int number, StratumUrl url)
{
    public int Number { get; } = number;

    public StratumUrl Url { get; } = url;

    public bool Connected { get; set; }

    public bool Subscribed { get; set; }

    public bool Authorized { get; set; }

    public byte[] Extranonce1 { get; set; } = [];

    public int Extranonce2Size { get; set; }

    public int VersionMask { get; set; }

    // Stratum's default until the pool says otherwise.
    public double Difficulty { get; set; } = 1;

    public StratumJob? Job { get; set; }
}
