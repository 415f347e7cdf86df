using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;

namespace HashTensorBench.Mining.Stratum;

/// <summary>
/// A Stratum V1 client: connects (TCP, or TLS for <c>stratum+ssl</c>), configures version rolling (BIP 310),
/// subscribes and authorizes, follows <c>mining.set_difficulty</c> and <c>mining.notify</c>, and submits
/// shares. A lost connection is made again with back-off; lines are bounded in size and time; a malformed
/// line or an unknown method is logged and skipped.
/// </summary>
/// <remarks>
/// <see cref="RunAsync"/> keeps the session; a miner takes <see cref="MiningWork"/> from
/// <see cref="WaitForWorkAsync"/> and hands shares to <see cref="SubmitAsync"/>. Each new connection gets
/// its own extranonce1 from the pool, so work from an earlier connection is abandoned and its shares are
/// never sent on a later one.
/// </remarks>
public sealed class StratumClient
{
    private readonly StratumClientOptions _options;
    private readonly Action<string> _log;
    private readonly Lock _gate = new();
    private TaskCompletionSource _workChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MiningWork? _work;
    private CancellationTokenSource? _workAbandon;
    private long _generation;
    private StratumConnection? _connection;
    private int _sessions;
    private long _nextId;
    private string? _subscriptionId;
    private Redirect? _redirect;

    /// <summary>Creates a client; nothing connects until <see cref="RunAsync"/>.</summary>
    /// <param name="options">The pool, the worker and the limits.</param>
    /// <param name="log">Told what happens: connections, jobs, errors survived.</param>
    public StratumClient(StratumClientOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _log = log ?? (_ => { });
    }

    /// <summary>The options.</summary>
    public StratumClientOptions Options => _options;

    /// <summary>The generation of the current work (it grows with every job, difficulty and session change).</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>The pool connected now (a failover or a <c>client.reconnect</c> changes it); null between connections.</summary>
    public StratumUrl? Pool
    {
        get
        {
            lock (_gate)
                return _connection?.Session.Url;
        }
    }

    /// <summary>The work to search now, or null before the first job and between connections.</summary>
    public MiningWork? CurrentWork
    {
        get
        {
            lock (_gate)
                return _work;
        }
    }

    /// <summary>Waits for work newer than <paramref name="afterGeneration"/>.</summary>
    public async Task<MiningWork> WaitForWorkAsync(long afterGeneration, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_work is { } work && work.Generation > afterGeneration)
                    return work;
                changed = _workChanged.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Keeps a session with a pool until cancelled: connects, and connects again with back-off when the connection is lost,
    /// failing over to the next of <see cref="StratumClientOptions.Failover"/> when a pool cannot be reached or does not
    /// subscribe and authorize in time, and following the pool's <c>client.reconnect</c>. Throws
    /// <see cref="StratumException"/> when no pool starts a first session in <see cref="StratumClientOptions.StartRounds"/>
    /// rounds, or a pool refuses the user.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        StratumUrl[] pools = [_options.Url, .. _options.Failover];
        bool established = false;
        int failures = 0, pool = 0, rounds = 0;
        var reasons = new List<string>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var redirect = Interlocked.Exchange(ref _redirect, null);
            var session = new StratumSession(Interlocked.Increment(ref _sessions), redirect?.Url ?? pools[pool]);
            string? failure = null;
            try
            {
                await RunConnectionAsync(session, cancellationToken).ConfigureAwait(false);
                failure = $"the pool {session.Url} closed the connection{(session.Subscribed ? "" : " before it subscribed")}";
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (StratumException)
            {
                throw;
            }
            catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or TimeoutException
                or OperationCanceledException or InvalidDataException or ObjectDisposedException)
            {
                failure = session.Connected
                    ? $"the pool {session.Url} {(session.Subscribed ? "lost the connection" : "did not start a session")}: {ex.Message}"
                    : $"cannot reach the pool {session.Url}: {ex.Message}";
            }
            finally
            {
                Abandon(session);
            }
            _log($"{failure}.");
            var delay = TimeSpan.FromTicks(Math.Min(_options.MaxReconnectDelay.Ticks, _options.ReconnectDelay.Ticks << Math.Min(failures, 20)));
            if (session.Subscribed)
            {
                established = true;
                failures = rounds = 0;
                reasons.Clear();
            }
            else if (redirect is null)
            {
                // This pool did not start a session: the next one in the list, and after the last a new round.
                reasons.Add(failure);
                pool = (pool + 1) % pools.Length;
                rounds += pool == 0 ? 1 : 0;
                if (!established && rounds >= _options.StartRounds)
                    throw new StratumException(pools.Length == 1 ? failure : $"no pool started a session: {string.Join("; ", reasons.Distinct())}");
                if (pools.Length > 1)
                    _log($"failing over to {pools[pool]}.");
                failures++;
            }
            if (Volatile.Read(ref _redirect) is { } next)
            {
                delay = next.Wait;
                _log($"the pool moves this worker to {next.Url} in {delay.TotalSeconds:0.#} s.");
            }
            else
            {
                _log($"reconnecting in {delay.TotalSeconds:F1} s.");
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends a share with <c>mining.submit</c> on the session it was found in, and waits for the pool's answer.
    /// A share of a session that has ended is not sent (<see cref="ShareStatus.Stale"/>).
    /// </summary>
    public async Task<ShareResult> SubmitAsync(MiningWork work, Share share, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(share);
        StratumConnection? connection;
        lock (_gate)
            connection = _connection;
        if (connection is null || connection.Session.Number != work.Session)
            return new ShareResult(ShareStatus.Stale, "the session it was found in has ended");
        long id = Interlocked.Increment(ref _nextId);
        var answer = connection.ExpectAnswer(id);
        string line = StratumMessages.Request(id, "mining.submit", writer =>
        {
            writer.WriteStringValue(_options.User);
            writer.WriteStringValue(share.JobId);
            writer.WriteStringValue(Convert.ToHexStringLower(share.Extranonce2.Span));
            writer.WriteStringValue(StratumJob.FormatWord(share.Time));
            writer.WriteStringValue(StratumJob.FormatWord(share.Nonce));
            if (work.VersionMask != 0)
                writer.WriteStringValue(StratumJob.FormatWord((uint)(share.Version & work.VersionMask)));
        });
        try
        {
            await connection.SendAsync(line, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            connection.Forget(id);
            return new ShareResult(ShareStatus.Unanswered, $"could not send it: {ex.Message}");
        }
        try
        {
            var response = await answer.WaitAsync(_options.AnswerTimeout, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch (TimeoutException)
        {
            connection.Forget(id);
            return new ShareResult(ShareStatus.Unanswered, $"no answer in {_options.AnswerTimeout.TotalSeconds:F0} s");
        }
    }

    private async Task RunConnectionAsync(StratumSession session, CancellationToken cancellationToken)
    {
        var connection = await StratumConnection.OpenAsync(_options, session, cancellationToken).ConfigureAwait(false);
        await using var owned = connection.ConfigureAwait(false);
        lock (_gate)
            _connection = connection;
        try
        {
            _log($"connected to {session.Url}.");
            // Until the worker is authorized the pool has the handshake's time; then it may be silent for the read time-out.
            long handshakeEnd = Environment.TickCount64 + (long)_options.HandshakeTimeout.TotalMilliseconds;
            await HandshakeAsync(connection, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                string? line;
                if (session.Authorized)
                {
                    line = await connection.ReadLineAsync(_options.ReadTimeout, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var left = TimeSpan.FromMilliseconds(Math.Max(1, handshakeEnd - Environment.TickCount64));
                    try
                    {
                        line = await connection.ReadLineAsync(left, cancellationToken).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        throw new TimeoutException($"no subscription and authorization in {_options.HandshakeTimeout.TotalSeconds:0.#} s");
                    }
                }
                if (line is null)
                    return;
                await HandleLineAsync(connection, line, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_gate)
            {
                if (_connection == connection)
                    _connection = null;
            }
            connection.FailPending("the connection closed before the pool answered");
        }
    }

    private async Task HandshakeAsync(StratumConnection connection, CancellationToken cancellationToken)
    {
        if (_options.VersionRollingMask != 0)
        {
            long configure = Interlocked.Increment(ref _nextId);
            connection.Expect(configure, StratumRequestKind.Configure);
            await connection.SendAsync(StratumMessages.Request(configure, "mining.configure", writer =>
            {
                writer.WriteStartArray();
                writer.WriteStringValue("version-rolling");
                writer.WriteEndArray();
                writer.WriteStartObject();
                writer.WriteString("version-rolling.mask", StratumJob.FormatWord((uint)_options.VersionRollingMask));
                writer.WriteNumber("version-rolling.min-bit-count", 2);
                writer.WriteEndObject();
            }), cancellationToken).ConfigureAwait(false);
        }
        long subscribe = Interlocked.Increment(ref _nextId);
        connection.Expect(subscribe, StratumRequestKind.Subscribe);
        // A reconnect offers the last subscription id: a pool that resumes it keeps the extranonce1.
        string? resume = Volatile.Read(ref _subscriptionId);
        await connection.SendAsync(StratumMessages.Request(subscribe, "mining.subscribe", writer =>
        {
            writer.WriteStringValue(_options.UserAgent);
            if (resume is not null)
                writer.WriteStringValue(resume);
        }), cancellationToken).ConfigureAwait(false);
        long authorize = Interlocked.Increment(ref _nextId);
        connection.Expect(authorize, StratumRequestKind.Authorize);
        await connection.SendAsync(StratumMessages.Request(authorize, "mining.authorize", writer =>
        {
            writer.WriteStringValue(_options.User);
            writer.WriteStringValue(_options.Password);
        }), cancellationToken).ConfigureAwait(false);
    }

    private async Task HandleLineAsync(StratumConnection connection, string line, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(line))
            return;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            _log($"malformed line from the pool skipped ({ex.Message.Split('.')[0]}): {StratumMessages.Shorten(line)}");
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                _log($"line from the pool that is not a JSON object skipped: {StratumMessages.Shorten(line)}");
                return;
            }
            if (root.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String)
            {
                var parameters = root.TryGetProperty("params", out var p) ? p : default;
                await HandleMethodAsync(connection, method.GetString()!, root.TryGetProperty("id", out var id) ? id : default, parameters, cancellationToken)
                    .ConfigureAwait(false);
                return;
            }
            if (root.TryGetProperty("id", out var responseId) && responseId.ValueKind == JsonValueKind.Number && responseId.TryGetInt64(out long number))
            {
                HandleResponse(connection, number, root);
                return;
            }
            _log($"line from the pool with neither a method nor a known id skipped: {StratumMessages.Shorten(line)}");
        }
    }

    private async Task HandleMethodAsync(StratumConnection connection, string method, JsonElement id, JsonElement parameters, CancellationToken cancellationToken)
    {
        var session = connection.Session;
        switch (method)
        {
            case "mining.notify":
                StratumJob job;
                try
                {
                    job = StratumJob.FromNotifyParams(parameters);
                }
                catch (FormatException ex)
                {
                    _log($"job skipped: {ex.Message}");
                    return;
                }
                session.Job = job;
                Publish(session, abandon: job.CleanJobs, $"job {job.JobId}{(job.CleanJobs ? " (clean)" : "")}");
                return;
            case "mining.set_difficulty":
                if (parameters.ValueKind == JsonValueKind.Array && parameters.GetArrayLength() > 0 && parameters[0].ValueKind == JsonValueKind.Number
                    && parameters[0].GetDouble() is var difficulty && difficulty > 0 && double.IsFinite(difficulty))
                {
                    session.Difficulty = difficulty;
                    Publish(session, abandon: false, $"difficulty {difficulty.ToString(CultureInfo.InvariantCulture)}");
                }
                else
                    _log($"difficulty skipped: a pool difficulty is a positive number; got {StratumMessages.Shorten(parameters.ValueKind == JsonValueKind.Undefined ? "nothing" : parameters.GetRawText())}.");
                return;
            case "mining.set_extranonce":
                if (StratumMessages.TryReadExtranonce(parameters, 0, out byte[]? extranonce1, out int size, out string? problem))
                {
                    session.Extranonce1 = extranonce1;
                    session.Extranonce2Size = size;
                    Publish(session, abandon: true, "new extranonce");
                }
                else
                    _log($"mining.set_extranonce skipped: {problem}");
                return;
            case "mining.set_version_mask":
                if (parameters.ValueKind == JsonValueKind.Array && parameters.GetArrayLength() > 0 && parameters[0].ValueKind == JsonValueKind.String
                    && StratumMessages.TryWord(parameters[0].GetString()!, out uint mask))
                {
                    session.VersionMask = (int)mask & _options.VersionRollingMask;
                    Publish(session, abandon: true, $"version mask {session.VersionMask:x8}");
                }
                else
                    _log("mining.set_version_mask skipped: the mask is not 8 hex digits.");
                return;
            case "client.reconnect":
                Volatile.Write(ref _redirect, StratumMessages.ReadReconnect(parameters, session.Url, _options.MaxReconnectDelay, out string? ignored));
                if (ignored is not null)
                    _log($"client.reconnect: {ignored}");
                throw new IOException("the pool asked to reconnect");
            case "client.show_message":
                _log($"pool says: {(parameters.ValueKind == JsonValueKind.Array && parameters.GetArrayLength() > 0 ? StratumMessages.Shorten(parameters[0].ToString()) : "")}");
                return;
            case "client.get_version":
                if (id.ValueKind == JsonValueKind.Number)
                    await connection.SendAsync(StratumMessages.Response(id.GetRawText(), writer => writer.WriteStringValue(_options.UserAgent)), cancellationToken).ConfigureAwait(false);
                return;
            default:
                _log($"unknown method \"{StratumMessages.Shorten(method)}\" from the pool skipped.");
                return;
        }
    }

    private void HandleResponse(StratumConnection connection, long id, JsonElement root)
    {
        var result = root.TryGetProperty("result", out var r) ? r : default;
        var error = root.TryGetProperty("error", out var e) && e.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? e : default;
        var session = connection.Session;
        switch (connection.Take(id, out var answer))
        {
            case StratumRequestKind.Configure:
                if (error.ValueKind == JsonValueKind.Undefined && result.ValueKind == JsonValueKind.Object
                    && result.TryGetProperty("version-rolling", out var rolling) && rolling.ValueKind == JsonValueKind.True
                    && result.TryGetProperty("version-rolling.mask", out var maskText) && maskText.ValueKind == JsonValueKind.String
                    && StratumMessages.TryWord(maskText.GetString()!, out uint mask))
                {
                    session.VersionMask = (int)mask & _options.VersionRollingMask;
                    _log($"version rolling: mask {session.VersionMask:x8}.");
                }
                else
                    _log("the pool does not roll versions; searching the job's version only.");
                return;
            case StratumRequestKind.Subscribe:
                if (error.ValueKind != JsonValueKind.Undefined)
                    throw new InvalidDataException($"mining.subscribe failed: {StratumMessages.ErrorText(error)}");
                if (!StratumMessages.TryReadExtranonce(result, 1, out byte[]? extranonce1, out int size, out string? problem))
                    throw new InvalidDataException($"mining.subscribe failed: {problem}");
                session.Extranonce1 = extranonce1;
                session.Extranonce2Size = size;
                session.Subscribed = true;
                Volatile.Write(ref _subscriptionId, StratumMessages.NotifySubscriptionId(result[0]));
                _log($"subscribed: extranonce1 {Convert.ToHexStringLower(extranonce1)}, extranonce2 {size} bytes.");
                Publish(session, abandon: true, "subscribed");
                return;
            case StratumRequestKind.Authorize:
                if (error.ValueKind != JsonValueKind.Undefined || result.ValueKind != JsonValueKind.True)
                    throw new StratumException($"the pool refused worker \"{_options.User}\"{(error.ValueKind != JsonValueKind.Undefined ? $": {StratumMessages.ErrorText(error)}" : "")}.");
                session.Authorized = true;
                _log($"authorized as {_options.User}.");
                return;
            case StratumRequestKind.Submit:
                answer!.TrySetResult(error.ValueKind == JsonValueKind.Undefined && result.ValueKind == JsonValueKind.True
                    ? new ShareResult(ShareStatus.Accepted, null)
                    : new ShareResult(ShareStatus.Rejected, error.ValueKind != JsonValueKind.Undefined ? StratumMessages.ErrorText(error) : "the pool answered false"));
                return;
            default:
                _log($"answer to unknown request {id} skipped.");
                return;
        }
    }

    // Publishes the session's job with its current settings as new work; abandon cancels the old work at once.
    private void Publish(StratumSession session, bool abandon, string what)
    {
        long generation;
        lock (_gate)
        {
            if (_connection?.Session != session)
                return;
            if (!session.Subscribed || session.Job is null)
            {
                _log($"{what}; waiting for {(session.Subscribed ? "a job" : "the subscription")}.");
                return;
            }
            if (abandon)
            {
                _workAbandon?.Cancel();
                _workAbandon?.Dispose();
                _workAbandon = new CancellationTokenSource();
            }
            _workAbandon ??= new CancellationTokenSource();
            generation = Interlocked.Increment(ref _generation);
            _work = new MiningWork(session.Job, session.Extranonce1, session.Extranonce2Size, session.VersionMask, session.Difficulty,
                session.Number, generation, _workAbandon.Token);
            _workChanged.TrySetResult();
            _workChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        _log($"{what}: work {generation}, difficulty {session.Difficulty.ToString(CultureInfo.InvariantCulture)}.");
    }

    private void Abandon(StratumSession session)
    {
        lock (_gate)
        {
            if (_work is { } work && work.Session == session.Number)
            {
                _work = null;
                Interlocked.Increment(ref _generation);
                _workAbandon?.Cancel();
                _workAbandon?.Dispose();
                _workAbandon = null;
            }
        }
    }

    // Where and when client.reconnect asked the worker to connect next.
    internal sealed record Redirect(StratumUrl Url, TimeSpan Wait);
}
