using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace HashTensorBench.Mining;

/// <summary>
/// A read-only HTTP/1.0 endpoint for a running miner, as cpuminer-opt's <c>--api-bind</c>: <c>GET /</c> or <c>GET /stats</c>
/// answers the <see cref="MiningStatus"/> as one JSON object; nothing can be changed through it. It listens on loopback
/// unless another address is given.
/// </summary>
public sealed class MiningStatsServer : IAsyncDisposable
{
    /// <summary>The address listened on when none is given: this machine only.</summary>
    public static readonly IPAddress DefaultAddress = IPAddress.Loopback;

    // A request line and headers; a stats client sends far less, and anything longer is not one.
    private const int MaxRequestBytes = 8192;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly TcpListener _listener;
    private readonly Func<MiningStatus> _status;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    private MiningStatsServer(TcpListener listener, Func<MiningStatus> status)
    {
        _listener = listener;
        _status = status;
        Endpoint = (IPEndPoint)listener.LocalEndpoint;
        _serving = ServeAsync();
    }

    /// <summary>Where it listens; with port 0 asked, the port the system chose.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Starts listening on <paramref name="endpoint"/>, answering each request with what <paramref name="status"/> says then.</summary>
    /// <exception cref="ArgumentException">The address cannot be listened on (a port in use, an address not this machine's).</exception>
    public static MiningStatsServer Start(IPEndPoint endpoint, Func<MiningStatus> status)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(status);
        var listener = new TcpListener(endpoint);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            ThrowHelper.ThrowArgument("api-bind", $"cannot listen on {endpoint}: {ex.Message}.");
        }
        return new MiningStatsServer(listener, status);
    }

    /// <summary>
    /// Reads <c>[HOST:]PORT</c>: HOST an IP address (IPv6 in brackets) or <c>localhost</c>, <see cref="DefaultAddress"/> when
    /// left out; PORT 0 to 65535, 0 for any free one.
    /// </summary>
    /// <exception cref="FormatException">It is not of that form.</exception>
    public static IPEndPoint ParseEndpoint(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.LastIndexOf(':');
        string host = colon < 0 ? "" : text[..colon];
        string port = text[(colon + 1)..];
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number > IPEndPoint.MaxPort)
            ThrowHelper.ThrowFormat($"\"{text}\" is not [HOST:]PORT with a port from 0 to 65535.");
        if (host.Length == 0)
            return new IPEndPoint(DefaultAddress, number);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return new IPEndPoint(IPAddress.Loopback, number);
        // An IPv6 address is written in brackets, so its own colons are not taken for the port's.
        bool bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (!IPAddress.TryParse(bracketed ? host[1..^1] : host, out var address) || (address.AddressFamily == AddressFamily.InterNetworkV6) != bracketed)
            ThrowHelper.ThrowFormat($"\"{host}\" is not an IP address (IPv6 in brackets) or localhost.");
        return new IPEndPoint(address, number);
    }

    /// <summary>Stops listening and waits for the request in hand.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _serving.ConfigureAwait(false);
        _listener.Dispose();
        _stop.Dispose();
    }

    // One request at a time: a stats endpoint is read now and then, and a client that stalls is cut off after RequestTimeout.
    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            using (client)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(RequestTimeout);
                try
                {
                    await AnswerAsync(client.GetStream(), timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
                {
                    // The client left, stalled or the server stops: the next one is served.
                }
            }
        }
    }

    private async Task AnswerAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        string? request = await ReadHeadAsync(stream, cancellationToken).ConfigureAwait(false);
        string[] line = request?.Split('\n', 2)[0].TrimEnd('\r').Split(' ') ?? [];
        var (status, body, allow) = line switch
        {
            [var method, var target, var version] when version.StartsWith("HTTP/", StringComparison.Ordinal) =>
                (method, target.Split('?', 2)[0]) switch
                {
                    ("GET" or "HEAD", "/" or "/stats") => ("200 OK", Json(_status().WriteProperties), false),
                    ("GET" or "HEAD", _) => ("404 Not Found", Error("not found: GET /stats for the miner's figures"), false),
                    _ => ("405 Method Not Allowed", Error("read-only: only GET"), true),
                },
            _ => ("400 Bad Request", Error("not an HTTP request"), false),
        };
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.0 {status}\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n")
            .Append(allow ? "Allow: GET, HEAD\r\n" : "")
            .Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken).ConfigureAwait(false);
        if (line is not ["HEAD", ..])
            await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }

    // The request line and headers, up to the blank line; null when the client sends more than a request's head or closes first.
    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestBytes];
        int length = 0;
        while (length < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                return null;
            length += read;
            string text = Encoding.ASCII.GetString(buffer, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal) || text.Contains("\n\n", StringComparison.Ordinal))
                return text;
        }
        return null;
    }

    private static byte[] Error(string message) => Json(writer => writer.WriteString("error", message));

    private static byte[] Json(Action<Utf8JsonWriter> properties)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            properties(writer);
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }
}
