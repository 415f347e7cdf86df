using System.Globalization;

namespace HashTensorBench.Mining.Stratum;

/// <summary>A pool's address: <c>stratum+tcp://HOST:PORT</c>, or <c>stratum+ssl://HOST:PORT</c> (also <c>stratum+tls</c>) for TLS.</summary>
public sealed record StratumUrl
{
    /// <summary>Creates an address.</summary>
    /// <exception cref="ArgumentException">The host is empty or the port is outside 1 to 65535.</exception>
    public StratumUrl(string host, int port, bool useTls)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        if (port is < 1 or > 65535)
            ThrowHelper.ThrowArgumentOutOfRange(nameof(port), $"A port is from 1 to 65535; got {port}.");
        Host = host;
        Port = port;
        UseTls = useTls;
    }

    /// <summary>The host name or address.</summary>
    public string Host { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>Whether the connection is TLS (<c>stratum+ssl</c>).</summary>
    public bool UseTls { get; }

    /// <summary>Parses <c>stratum+tcp://HOST:PORT</c> or <c>stratum+ssl://HOST:PORT</c>.</summary>
    /// <exception cref="FormatException">The text is not such an address: another scheme, no port, a path.</exception>
    public static StratumUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        string text = url.Trim();
        int separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0)
            ThrowHelper.ThrowFormat($"A pool URL is stratum+tcp://HOST:PORT or stratum+ssl://HOST:PORT; got \"{text}\".");
        string scheme = text[..separator].ToLowerInvariant();
        bool tls = scheme switch
        {
            "stratum+tcp" => false,
            "stratum+ssl" or "stratum+tls" => true,
            _ => throw new FormatException($"Unknown pool URL scheme \"{text[..separator]}\"; expected stratum+tcp or stratum+ssl."),
        };
        string authority = text[(separator + 3)..].TrimEnd('/');
        if (authority.Contains('/', StringComparison.Ordinal) || authority.Contains('@', StringComparison.Ordinal))
            ThrowHelper.ThrowFormat($"A pool URL is only a scheme, a host and a port; got \"{text}\".");
        int colon = authority.LastIndexOf(':');
        // [::1]:3333 keeps its brackets' colons; a bare IPv6 address has no port.
        if (colon < 0 || (authority.StartsWith('[') && colon < authority.IndexOf(']', StringComparison.Ordinal)))
            ThrowHelper.ThrowFormat($"The pool URL \"{text}\" has no port; write it as {scheme}://HOST:PORT.");
        string host = authority[..colon].Trim('[', ']');
        string portText = authority[(colon + 1)..];
        if (host.Length == 0)
            ThrowHelper.ThrowFormat($"The pool URL \"{text}\" has no host.");
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            ThrowHelper.ThrowFormat($"The pool URL \"{text}\" has port \"{portText}\"; a port is a number from 1 to 65535.");
        return new StratumUrl(host, port, tls);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{(UseTls ? "stratum+ssl" : "stratum+tcp")}://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";
}
