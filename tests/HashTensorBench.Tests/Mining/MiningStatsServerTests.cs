using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using HashTensorBench.Mining;
using HashTensorBench.Mining.Stratum;

namespace HashTensorBench.Tests.Mining;

/// <summary>The read-only stats endpoint of <c>htb mine --api-bind</c>: addresses, answers and refusals, on loopback.</summary>
public class MiningStatsServerTests
{
    [Theory]
    [InlineData("4048", "127.0.0.1", 4048)]
    [InlineData("0", "127.0.0.1", 0)]
    [InlineData("localhost:80", "127.0.0.1", 80)]
    [InlineData("0.0.0.0:4048", "0.0.0.0", 4048)]
    [InlineData("[::1]:4048", "::1", 4048)]
    public void Reads_host_and_port_with_loopback_by_default(string text, string address, int port)
    {
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), MiningStatsServer.ParseEndpoint(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("127.0.0.1:")]
    [InlineData("pool.example:80")]
    [InlineData("::1:80")]
    [InlineData("[127.0.0.1]:80")]
    public void Refuses_what_is_not_host_and_port(string text)
    {
        Assert.Throws<FormatException>(() => MiningStatsServer.ParseEndpoint(text));
    }

    [Fact]
    public async Task Port_0_takes_a_free_port_and_answers_the_status_of_the_moment()
    {
        long hashes = 1_000_000;
        var pool = StratumUrl.Parse("stratum+tcp://pool.example:3333");
        MiningStatus Status() => new(new MiningStatistics("cpu/test x1", hashes, TimeSpan.FromSeconds(4), 3, 1, 0, 0, 0, 0, 3.0 / 65536, 2), pool, "job7");
        await using var server = MiningStatsServer.Start(new IPEndPoint(IPAddress.Loopback, 0), Status);
        Assert.NotEqual(0, server.Endpoint.Port);
        Assert.Equal(IPAddress.Loopback, server.Endpoint.Address);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Endpoint.Port}") };
        using (var first = JsonDocument.Parse(await http.GetStringAsync("/")))
        {
            var root = first.RootElement;
            Assert.Equal("cpu/test x1", root.GetProperty("device").GetString());
            Assert.Equal(pool.ToString(), root.GetProperty("pool").GetString());
            Assert.Equal("job7", root.GetProperty("job").GetString());
            Assert.Equal(4, root.GetProperty("uptime_seconds").GetDouble());
            Assert.Equal(250_000, root.GetProperty("hashrate").GetDouble());
            Assert.Equal(3, root.GetProperty("accepted").GetInt64());
            Assert.Equal(1, root.GetProperty("rejected").GetInt64());
            // Three shares of difficulty 1/65536 stand for 3 · 2^16 hashes in 4 s.
            Assert.Equal(3.0 * 65536 / 4, root.GetProperty("effective_hashrate").GetDouble(), 6);
        }
        hashes = 3_000_000;
        using (var second = JsonDocument.Parse(await http.GetStringAsync("/stats?x=1")))
            Assert.Equal(3_000_000, second.RootElement.GetProperty("hashes").GetInt64());
    }

    [Theory]
    [InlineData("DELETE /stats HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.0 405 ")]
    [InlineData("PUT / HTTP/1.0\r\n\r\n", "HTTP/1.0 405 ")]
    [InlineData("GET /pool HTTP/1.0\r\n\r\n", "HTTP/1.0 404 ")]
    [InlineData("hello\r\n\r\n", "HTTP/1.0 400 ")]
    [InlineData("HEAD /stats HTTP/1.0\r\n\r\n", "HTTP/1.0 200 ")]
    public async Task Only_reads_are_answered(string request, string statusLine)
    {
        int reads = 0;
        MiningStatus Status()
        {
            reads++;
            return new(new MiningStatistics("cpu", 1, TimeSpan.FromSeconds(1), 0, 0, 0, 0, 0, 0, 0, 1), null, null);
        }
        await using var server = MiningStatsServer.Start(new IPEndPoint(IPAddress.Loopback, 0), Status);
        string answer = await AskAsync(server.Endpoint, request);

        Assert.StartsWith(statusLine, answer);
        Assert.Contains("Content-Type: application/json\r\n", answer);
        Assert.Equal(statusLine.Contains("200", StringComparison.Ordinal) ? 1 : 0, reads);
        // A HEAD gets the head alone.
        if (request.StartsWith("HEAD", StringComparison.Ordinal))
            Assert.EndsWith("\r\n\r\n", answer);
    }

    [Fact]
    public async Task A_port_in_use_is_refused_and_a_stopped_server_listens_no_more()
    {
        var server = MiningStatsServer.Start(new IPEndPoint(IPAddress.Loopback, 0), () => throw new InvalidOperationException("not asked"));
        var endpoint = server.Endpoint;
        var taken = Assert.Throws<ArgumentException>(() => MiningStatsServer.Start(endpoint, () => throw new InvalidOperationException("not asked")));
        Assert.Equal("api-bind", taken.ParamName);
        Assert.Contains($"cannot listen on {endpoint}", taken.Message);
        await server.DisposeAsync();

        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(endpoint.Address, endpoint.Port));
    }

    private static async Task<string> AskAsync(IPEndPoint endpoint, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Address, endpoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync();
    }
}
