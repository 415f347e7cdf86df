using System.Net.Security;
using HashTensorBench.Hashing;

namespace HashTensorBench.Mining.Stratum;

/// <summary>How a <see cref="StratumClient"/> connects, what it asks for, and its limits.</summary>
public sealed record StratumClientOptions
{
    /// <summary>Creates options for a pool and a worker name.</summary>
    public StratumClientOptions(StratumUrl url, string user, string password = "x")
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentNullException.ThrowIfNull(password);
        Url = url;
        User = user;
        Password = password;
    }

    /// <summary>The pool.</summary>
    public StratumUrl Url { get; }

    /// <summary>Pools to fail over to, in order, when <see cref="Url"/> cannot be reached or does not start a session (as cgminer's <c>--pool</c> list).</summary>
    public IReadOnlyList<StratumUrl> Failover { get; init; } = [];

    /// <summary>The worker name for <c>mining.authorize</c> and <c>mining.submit</c>.</summary>
    public string User { get; }

    /// <summary>The worker password (pools mostly ignore it).</summary>
    public string Password { get; }

    /// <summary>The agent name sent with <c>mining.subscribe</c>.</summary>
    public string UserAgent { get; init; } = "htb/0.1";

    /// <summary>The version bits to ask to roll with <c>mining.configure</c> (BIP 310); 0 asks for none.</summary>
    public int VersionRollingMask { get; init; } = VersionRolling.Mask;

    /// <summary>How long a connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a pool has, once connected, to answer the subscription and authorize the worker.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Rounds over the pools, with back-off, before the first session is given up (a pool that refuses the worker ends it at once).</summary>
    public int StartRounds { get; init; } = 3;

    /// <summary>How long the pool may stay silent before the connection is taken for dead and made again.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to wait for the pool's answer to a share or a handshake request.</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest line the pool may send; a longer one drops the connection.</summary>
    public int MaxLineBytes { get; init; } = 256 * 1024;

    /// <summary>The first wait before reconnecting; it doubles after each failed attempt up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Checks a TLS pool's certificate; the platform's validation when null.</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; init; }
}
