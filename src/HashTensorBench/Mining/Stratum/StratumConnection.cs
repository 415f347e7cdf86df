using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace HashTensorBench.Mining.Stratum;

/// <summary>What a request sent to the pool was, so that its answer is read as such.</summary>
internal enum StratumRequestKind
{
    None,
    Configure,
    Subscribe,
    Authorize,
    Submit,
}

/// <summary>
/// One connection to a pool: TCP, or TLS for <c>stratum+ssl</c>, opened within the connect time-out; lines written whole
/// under a lock and read bounded in size and time; the requests that await an answer.
/// </summary>
internal sealed class StratumConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly LineReader _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Dictionary<long, (StratumRequestKind Kind, TaskCompletionSource<ShareResult>? Answer)> _pending = [];
    private readonly Lock _pendingGate = new();

    private StratumConnection(TcpClient tcp, Stream stream, StratumSession session, StratumClientOptions options)
    {
        _tcp = tcp;
        _stream = stream;
        _reader = new LineReader(stream, options.MaxLineBytes);
        Session = session;
    }

    public StratumSession Session { get; }

    /// <summary>Connects to <paramref name="session"/>'s pool, which it marks connected once TCP is up, within <paramref name="options"/>' time-out.</summary>
    /// <exception cref="TimeoutException">No connection within the connect time-out.</exception>
    public static async Task<StratumConnection> OpenAsync(StratumClientOptions options, StratumSession session, CancellationToken cancellationToken)
    {
        var url = session.Url;
        var tcp = new TcpClient();
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(options.ConnectTimeout);
                try
                {
                    await tcp.ConnectAsync(url.Host, url.Port, connectTimeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"no connection in {options.ConnectTimeout.TotalSeconds:F0} s");
                }
            }
            session.Connected = true;
            Stream stream = tcp.GetStream();
            if (url.UseTls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = url.Host,
                    RemoteCertificateValidationCallback = options.CertificateValidation,
                }, cancellationToken).ConfigureAwait(false);
            }
            return new StratumConnection(tcp, stream, session, options);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>The next line, or null when the pool closed the connection.</summary>
    /// <exception cref="TimeoutException">Nothing from the pool within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidDataException">A line longer than the limit.</exception>
    public async Task<string?> ReadLineAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        readTimeout.CancelAfter(timeout);
        try
        {
            return await _reader.ReadLineAsync(readTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"nothing from the pool in {timeout.TotalSeconds:0.#} s");
        }
    }

    public void Expect(long id, StratumRequestKind kind)
    {
        lock (_pendingGate)
            _pending[id] = (kind, null);
    }

    public Task<ShareResult> ExpectAnswer(long id)
    {
        var answer = new TaskCompletionSource<ShareResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pendingGate)
            _pending[id] = (StratumRequestKind.Submit, answer);
        return answer.Task;
    }

    public StratumRequestKind Take(long id, out TaskCompletionSource<ShareResult>? answer)
    {
        lock (_pendingGate)
        {
            if (_pending.Remove(id, out var request))
            {
                answer = request.Answer;
                return request.Kind;
            }
        }
        answer = null;
        return StratumRequestKind.None;
    }

    public void Forget(long id)
    {
        lock (_pendingGate)
            _pending.Remove(id);
    }

    public void FailPending(string reason)
    {
        lock (_pendingGate)
        {
            foreach (var (_, request) in _pending)
                request.Answer?.TrySetResult(new ShareResult(ShareStatus.Unanswered, reason));
            _pending.Clear();
        }
    }

    public async Task SendAsync(string line, CancellationToken cancellationToken)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _tcp.Dispose();
        _writeLock.Dispose();
    }

    // Reads '\n'-ended lines of at most maxBytes; a longer line ends the connection.
    private sealed class LineReader(Stream stream, int maxBytes)
    {
        private readonly byte[] _buffer = new byte[8192];
        private readonly ArrayBufferWriter<byte> _line = new();
        private int _start;
        private int _end;

        public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            _line.ResetWrittenCount();
            while (true)
            {
                int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                int take = (newline < 0 ? _end : newline) - _start;
                if (_line.WrittenCount + take > maxBytes)
                    throw new InvalidDataException($"the pool sent a line longer than {maxBytes} bytes");
                _line.Write(_buffer.AsSpan(_start, take));
                if (newline >= 0)
                {
                    _start = newline + 1;
                    return Encoding.UTF8.GetString(_line.WrittenSpan).TrimEnd('\r');
                }
                _start = _end = 0;
                int read = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    return null;
                _end = read;
            }
        }
    }
}
