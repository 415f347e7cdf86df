namespace HashTensorBench.Mining.Stratum;

/// <summary>A pool session that cannot go on: the pool cannot be reached at the start, or it refused the user.</summary>
public sealed class StratumException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StratumException() { }

    /// <summary>Creates the exception with a message.</summary>
    public StratumException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StratumException(string message, Exception innerException) : base(message, innerException) { }
}
