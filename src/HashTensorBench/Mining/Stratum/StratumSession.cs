namespace HashTensorBench.Mining.Stratum;

/// <summary>What one connection to the pool learned; a new connection starts from nothing.</summary>
/// <param name="number">The connection's number, counted from 1: work names the session it belongs to.</param>
internal sealed class StratumSession(int number)
{
    public int Number { get; } = number;

    public bool Connected { get; set; }

    public bool Subscribed { get; set; }

    public byte[] Extranonce1 { get; set; } = [];

    public int Extranonce2Size { get; set; }

    public int VersionMask { get; set; }

    // Stratum's default until the pool says otherwise.
    public double Difficulty { get; set; } = 1;

    public StratumJob? Job { get; set; }
}
