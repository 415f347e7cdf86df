namespace HashTensorBench.Economics.Refresh;

/// <summary>
/// A refresh that failed: the server could not be reached or named, did not answer in time, answered with an HTTP
/// error, a body that is not the shape its source writes, or an implausible figure. The message is one line that
/// starts with the URL.
/// </summary>
public sealed class MarketRefreshException : Exception
{
    /// <summary>A failure of <paramref name="url"/>: <paramref name="what"/> went wrong.</summary>
    public MarketRefreshException(Uri url, string what, Exception? inner = null)
        : base($"{url}: {what}", inner)
    {
        Url = url;
    }

    /// <summary>The URL that failed.</summary>
    public Uri Url { get; }
}
