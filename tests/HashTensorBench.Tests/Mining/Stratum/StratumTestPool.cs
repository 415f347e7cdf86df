using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using HashTensorBench.Bitcoin;
using HashTensorBench.Hashing;
using HashTensorBench.Mining;
using HashTensorBench.Mining.Stratum;

namespace HashTensorBench.Tests.Mining.Stratum;

/// <summary>
/// A Stratum V1 pool on 127.0.0.1 for the tests. It checks every submitted share itself: it rebuilds the
/// coinbase, merkle root and header from its own copy of the job with plain SHA-256 and byte copies (not
/// the library's job path), and counts shares whose hash misses the target as invalid.
/// </summary>
internal sealed class StratumTestPool : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, PoolConnection> _connections = new();
    private readonly ConcurrentDictionary<string, PoolJob> _jobs = new();
    private readonly ConcurrentDictionary<string, byte> _seen = new();
    private readonly Task _accepting;
    private readonly ConcurrentQueue<Task> _serving = new();
    private readonly Lock _gate = new();
    private int _connectionCount;
    private int _jobCount;
    private PoolJob _current;

    public StratumTestPool(double difficulty, int extranonce2Size = 4, int? versionMask = VersionRolling.Mask, uint bits = 0x1b04864c,
        X509Certificate2? tlsCertificate = null)
    {
        TlsCertificate = tlsCertificate;
        Difficulty = difficulty;
        Extranonce2Size = extranonce2Size;
        VersionMaskOffered = versionMask;
        Bits = bits;
        _current = MakeJob(clean: true);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public double Difficulty { get; }

    /// <summary>Whether a subscribe that offers an earlier subscription id gets that session's extranonce1 back.</summary>
    public bool ResumeSessions { get; init; }

    /// <summary>When set, the pool speaks TLS with this certificate (stratum+ssl).</summary>
    public X509Certificate2? TlsCertificate { get; }

    public int Extranonce2Size { get; }

    /// <summary>The mask answered to mining.configure; null answers it with an error, as a pool without BIP 310 does.</summary>
    public int? VersionMaskOffered { get; }

    public uint Bits { get; }

    public StratumUrl Url => new("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port, useTls: TlsCertificate is not null);

    /// <summary>A self-signed certificate for 127.0.0.1.</summary>
    public static X509Certificate2 SelfSignedCertificate()
    {
        // ECDSA: its key is made in a moment, where RSA's takes a while on a busy machine.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    /// <summary>Which submitted shares (1-based, counting valid ones) to reject although they check.</summary>
    public Func<int, bool> RejectValidShare { get; set; } = _ => false;

    public int Valid;
    public int Invalid;
    public int Stale;
    public int Duplicate;
    public int RejectedOnPurpose;
    public int VersionRolled;
    public int TimeRolled;

    public int Connections => Volatile.Read(ref _connectionCount);

    /// <summary>Connections open now.</summary>
    public int ActiveConnections => _connections.Count;

    public ConcurrentQueue<string> Received { get; } = new();

    public ConcurrentQueue<string> Problems { get; } = new();

    /// <summary>
    /// What broke the pool's own code while it served a connection (a client line it could not read, a field it
    /// could not parse). A connection's closing is not one. <see cref="DisposeAsync"/> throws when any is left.
    /// </summary>
    public ConcurrentQueue<Exception> Errors { get; } = new();

    /// <summary>The job of each valid share, in order.</summary>
    public ConcurrentQueue<string> ValidJobs { get; } = new();

    /// <summary>The job and extranonce1 (hex) each valid share was checked with, in order.</summary>
    public ConcurrentQueue<(string JobId, string Extranonce1)> ValidShares { get; } = new();

    /// <summary>The lines the clients sent that were answers (no method), as to client.get_version.</summary>
    public ConcurrentQueue<string> Answers { get; } = new();

    /// <summary>Extranonce1 values handed out, in order.</summary>
    public ConcurrentQueue<string> Extranonces { get; } = new();

    public string CurrentJobId
    {
        get
        {
            lock (_gate)
                return _current.Id;
        }
    }

    /// <summary>Sends a new job to every connection.</summary>
    public async Task NewJobAsync(bool clean)
    {
        PoolJob job;
        lock (_gate)
            job = _current = MakeJob(clean);
        foreach (var connection in _connections.Values)
            await connection.SendAsync(Notify(job)).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends mining.set_extranonce, then a clean job. Shares are checked with the extranonce the pool gave that connection last
    /// or, for shares already on their way, with an earlier one; <see cref="ValidShares"/> says which.
    /// </summary>
    public async Task SetExtranonceAsync(byte[] extranonce1, int extranonce2Size)
    {
        foreach (var connection in _connections.Values)
        {
            connection.Extranonces.Push((extranonce1, extranonce2Size));
            await connection.SendAsync($"{{\"id\":null,\"method\":\"mining.set_extranonce\",\"params\":[\"{Convert.ToHexStringLower(extranonce1)}\",{extranonce2Size}]}}")
                .ConfigureAwait(false);
        }
        await NewJobAsync(clean: true).ConfigureAwait(false);
    }

    /// <summary>Sends mining.set_version_mask, then a clean job; version bits in any mask the connection was given are allowed.</summary>
    public async Task SetVersionMaskAsync(int mask)
    {
        foreach (var connection in _connections.Values)
        {
            connection.VersionMask |= mask;
            await connection.SendAsync($"{{\"id\":null,\"method\":\"mining.set_version_mask\",\"params\":[\"{mask:x8}\"]}}").ConfigureAwait(false);
        }
        await NewJobAsync(clean: true).ConfigureAwait(false);
    }

    /// <summary>Sends a raw line to every connection.</summary>
    public async Task SendAsync(string line)
    {
        foreach (var connection in _connections.Values)
            await connection.SendAsync(line).ConfigureAwait(false);
    }

    /// <summary>Closes every connection; clients may connect again.</summary>
    public void Disconnect()
    {
        foreach (var connection in _connections.Values)
            connection.Close();
    }

    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(20).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>Stops the pool and waits for every connection; throws if serving one failed, so no test passes over it.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        Disconnect();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        // The connections' tasks never throw: each records its failure in Errors.
        await Task.WhenAll(_serving).ConfigureAwait(false);
        _stop.Dispose();
        if (!Errors.IsEmpty)
            throw new AggregateException("the test pool failed while serving a connection", Errors);
    }

    /// <summary>The nTime the pool gives job <paramref name="jobId"/>.</summary>
    public static uint TimeOf(string jobId) => 0x4d1b2237u + uint.Parse(jobId.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);

    private PoolJob MakeJob(bool clean)
    {
        int number = Interlocked.Increment(ref _jobCount);
        // A coinbase whose scriptSig is a height push, then extranonce1 (4 bytes) and extranonce2.
        byte[] coinbase1 = Convert.FromHexString(
            "01000000" + "01" + new string('0', 64) + "ffffffff" + (4 + 4 + Extranonce2Size).ToString("x2") + "03a08601");
        byte[] coinbase2 = Convert.FromHexString("ffffffff" + "01" + "00f2052a01000000" + "0151" + "00000000");
        // Block 100,000's branches and previous hash; a different time per job keeps jobs apart.
        var branches = new[]
        {
            Convert.FromHexString("c40297f730dd7b5a99567eb8d27b78758f607507c52292d02d4031895b52f2ff"),
            Convert.FromHexString("49aef42d78e3e9999c9e6ec9e1dddd6cb880bf3b076a03be1318ca789089308e"),
        };
        var previous = UInt256.Parse("000000000002d01c1fccc21636b607dfd930d31d01c3a62104612a1719011250");
        var job = new PoolJob($"j{number}", previous, coinbase1, coinbase2, branches, 0x20000000, Bits, TimeOf($"j{number}"), clean);
        _jobs[job.Id] = job;
        return job;
    }

    private static string Notify(PoolJob job)
    {
        var stratum = new StratumJob(job.Id, job.Previous, job.Coinbase1, job.Coinbase2,
            job.Branches.Select(b => UInt256.FromLittleEndian(b)).ToArray(), job.Version, job.Bits, job.Time, job.Clean);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNull("id");
            writer.WriteString("method", "mining.notify");
            writer.WritePropertyName("params");
            stratum.WriteNotifyParams(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            int number = Interlocked.Increment(ref _connectionCount);
            _serving.Enqueue(Task.Run(async () =>
            {
                Stream stream = socket.GetStream();
                var connection = new PoolConnection(socket, stream, number);
                try
                {
                    if (TlsCertificate is not null)
                    {
                        var tls = new SslStream(stream);
                        connection.Stream = tls;
                        await tls.AuthenticateAsServerAsync(TlsCertificate, false, false).ConfigureAwait(false);
                    }
                    _connections[number] = connection;
                    await ServeAsync(connection).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException
                    or System.Security.Authentication.AuthenticationException)
                {
                }
                catch (Exception ex)
                {
                    Errors.Enqueue(ex);
                }
                finally
                {
                    _connections.TryRemove(number, out _);
                    connection.Close();
                }
            }));
        }
    }

    private async Task ServeAsync(PoolConnection connection)
    {
        var reader = new StreamReader(connection.Stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
        {
            Received.Enqueue(line);
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (!root.TryGetProperty("method", out _))
            {
                Answers.Enqueue(line);
                continue;
            }
            string id = root.GetProperty("id").GetRawText();
            var parameters = root.GetProperty("params");
            switch (root.GetProperty("method").GetString())
            {
                case "mining.configure":
                    await connection.SendAsync(VersionMaskOffered is int mask
                        ? $"{{\"id\":{id},\"result\":{{\"version-rolling\":true,\"version-rolling.mask\":\"{mask:x8}\"}},\"error\":null}}"
                        : $"{{\"id\":{id},\"result\":null,\"error\":[20,\"Unsupported method\",null]}}").ConfigureAwait(false);
                    connection.VersionMask = VersionMaskOffered ?? 0;
                    break;
                case "mining.subscribe":
                    // A resumed subscription ("n3" from connection 3) keeps its extranonce1, as ckpool does.
                    uint owner = (uint)connection.Number;
                    if (ResumeSessions && parameters.GetArrayLength() > 1 && parameters[1].GetString() is ['n', .. var digits]
                        && uint.TryParse(digits, out uint earlier))
                        owner = earlier;
                    byte[] extranonce1 = BitConverter.GetBytes(0x0a0b0c00u + owner);
                    connection.Extranonces.Push((extranonce1, Extranonce2Size));
                    connection.Number = (int)owner;
                    Extranonces.Enqueue(Convert.ToHexStringLower(extranonce1));
                    await connection.SendAsync(
                        $"{{\"id\":{id},\"result\":[[[\"mining.set_difficulty\",\"d{connection.Number}\"],[\"mining.notify\",\"n{connection.Number}\"]],\"{Convert.ToHexStringLower(extranonce1)}\",{Extranonce2Size}],\"error\":null}}")
                        .ConfigureAwait(false);
                    break;
                case "mining.authorize":
                    bool ok = parameters[0].GetString() != "refused";
                    await connection.SendAsync(ok
                        ? $"{{\"id\":{id},\"result\":true,\"error\":null}}"
                        : $"{{\"id\":{id},\"result\":false,\"error\":[24,\"Unauthorized worker\",null]}}").ConfigureAwait(false);
                    if (ok)
                    {
                        await connection.SendAsync($"{{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[{Difficulty:R}]}}").ConfigureAwait(false);
                        PoolJob current;
                        lock (_gate)
                            current = _current;
                        await connection.SendAsync(Notify(current)).ConfigureAwait(false);
                    }
                    break;
                case "mining.submit":
                    var (accepted, error) = Check(connection, parameters);
                    await connection.SendAsync(accepted
                        ? $"{{\"id\":{id},\"result\":true,\"error\":null}}"
                        : $"{{\"id\":{id},\"result\":false,\"error\":{error}}}").ConfigureAwait(false);
                    break;
                default:
                    await connection.SendAsync($"{{\"id\":{id},\"result\":null,\"error\":[20,\"Unknown method\",null]}}").ConfigureAwait(false);
                    break;
            }
        }
    }

    // The pool's own check of a share, from its own copy of the job.
    private (bool Accepted, string Error) Check(PoolConnection connection, JsonElement parameters)
    {
        string jobId = parameters[1].GetString()!;
        byte[] extranonce2 = Convert.FromHexString(parameters[2].GetString()!);
        uint time = uint.Parse(parameters[3].GetString()!, System.Globalization.NumberStyles.HexNumber);
        uint nonce = uint.Parse(parameters[4].GetString()!, System.Globalization.NumberStyles.HexNumber);
        if (!_jobs.TryGetValue(jobId, out var job))
        {
            Problems.Enqueue($"unknown job {jobId}");
            Interlocked.Increment(ref Invalid);
            return (false, "[21,\"Job not found\",null]");
        }
        int version = job.Version;
        if (parameters.GetArrayLength() > 5)
        {
            uint bits = uint.Parse(parameters[5].GetString()!, System.Globalization.NumberStyles.HexNumber);
            if ((bits & ~(uint)connection.VersionMask) != 0)
            {
                Problems.Enqueue($"version bits {bits:x8} outside mask {connection.VersionMask:x8}");
                Interlocked.Increment(ref Invalid);
                return (false, "[20,\"Invalid version bits\",null]");
            }
            version = (job.Version & ~connection.VersionMask) | (int)bits;
            if (version != job.Version)
                Interlocked.Increment(ref VersionRolled);
        }
        // A miner may roll nTime forward once a job's extranonce2s are spent, within what StratumMiner allows itself.
        bool timeAllowed = time >= job.Time && time - job.Time <= StratumMiner.MaxTimeRoll;
        if (timeAllowed && time != job.Time)
            Interlocked.Increment(ref TimeRolled);
        // The extranonces this connection was given, newest first, of the share's extranonce2 size.
        var candidates = connection.Extranonces.Where(e => e.Extranonce2Size == extranonce2.Length).Select(e => e.Extranonce1).ToArray();
        if (candidates.Length == 0 || !timeAllowed)
        {
            Problems.Enqueue($"bad extranonce2 size {extranonce2.Length} or time {time:x8}");
            Interlocked.Increment(ref Invalid);
            return (false, "[20,\"Bad share fields\",null]");
        }
        // Share target 0xffff·2^208 / difficulty, exact for the tests' difficulties (powers of two).
        var target = (new BigInteger(0xffff) << 260) / (BigInteger)Math.Round(Difficulty * (1L << 52));
        byte[]? extranonce1 = candidates.FirstOrDefault(e => HeaderHash(job, e, extranonce2, version, time, nonce) <= target);
        if (extranonce1 is null)
        {
            Problems.Enqueue($"share {jobId}/{nonce:x8} misses the target");
            Interlocked.Increment(ref Invalid);
            return (false, "[23,\"Low difficulty share\",null]");
        }
        if (!_seen.TryAdd($"{Convert.ToHexString(extranonce1)}/{jobId}/{Convert.ToHexString(extranonce2)}/{time}/{nonce}/{version}", 0))
        {
            Interlocked.Increment(ref Duplicate);
            return (false, "[22,\"Duplicate share\",null]");
        }
        bool stale;
        lock (_gate)
            stale = jobId != _current.Id && _current.Clean;
        if (stale)
        {
            Interlocked.Increment(ref Stale);
            return (false, "[21,\"Stale share\",null]");
        }
        int valid = Interlocked.Increment(ref Valid);
        ValidJobs.Enqueue(jobId);
        ValidShares.Enqueue((jobId, Convert.ToHexStringLower(extranonce1)));
        if (RejectValidShare(valid))
        {
            Interlocked.Increment(ref RejectedOnPurpose);
            return (false, "[20,\"Rejected for the test\",null]");
        }
        return (true, "");
    }

    private static BigInteger HeaderHash(PoolJob job, byte[] extranonce1, byte[] extranonce2, int version, uint time, uint nonce)
    {
        byte[] coinbase = [.. job.Coinbase1, .. extranonce1, .. extranonce2, .. job.Coinbase2];
        byte[] node = SHA256.HashData(SHA256.HashData(coinbase));
        foreach (byte[] branch in job.Branches)
            node = SHA256.HashData(SHA256.HashData([.. node, .. branch]));
        var header = new byte[80];
        BinaryPrimitives.WriteInt32LittleEndian(header, version);
        job.Previous.WriteLittleEndian(header.AsSpan(4, 32));
        node.CopyTo(header, 36);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(68), time);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(72), job.Bits);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(76), nonce);
        return new BigInteger(SHA256.HashData(SHA256.HashData(header)), isUnsigned: true, isBigEndian: false);
    }

    private sealed record PoolJob(string Id, UInt256 Previous, byte[] Coinbase1, byte[] Coinbase2, byte[][] Branches, int Version, uint Bits, uint Time, bool Clean);

    private sealed class PoolConnection(TcpClient socket, Stream stream, int number)
    {
        private readonly SemaphoreSlim _write = new(1, 1);

        public int Number { get; set; } = number;

        public Stream Stream { get; set; } = stream;

        /// <summary>Every extranonce1 and extranonce2 size given to this connection, newest on top.</summary>
        public ConcurrentStack<(byte[] Extranonce1, int Extranonce2Size)> Extranonces { get; } = new();

        public int VersionMask { get; set; }

        public async Task SendAsync(string line)
        {
            await _write.WaitAsync().ConfigureAwait(false);
            try
            {
                await Stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n")).ConfigureAwait(false);
                await Stream.FlushAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
            }
            finally
            {
                _write.Release();
            }
        }

        public void Close() => socket.Dispose();
    }
}
