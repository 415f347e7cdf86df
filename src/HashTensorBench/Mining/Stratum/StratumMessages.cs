using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HashTensorBench.Mining.Stratum;

/// <summary>
/// Stratum V1's messages: requests and responses as JSON lines, and the checks of what a pool sends (extranonces,
/// subscription ids, hex words, errors), apart from any connection so that they can be tested and reused alone.
/// </summary>
internal static class StratumMessages
{
    internal static bool TryReadExtranonce(JsonElement array, int offset, out byte[] extranonce1, out int size, out string? problem)
    {
        extranonce1 = [];
        size = 0;
        problem = null;
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() < offset + 2)
            problem = "expected extranonce1 and the extranonce2 size";
        else if (array[offset].ValueKind != JsonValueKind.String || !TryHex(array[offset].GetString()!, out extranonce1) || extranonce1.Length > 32)
            problem = "extranonce1 is not hex of at most 32 bytes";
        else if (array[offset + 1].ValueKind != JsonValueKind.Number || !array[offset + 1].TryGetInt32(out size) || size is < 0 or > 32)
            problem = "the extranonce2 size is not a whole number from 0 to 32";
        return problem is null;
    }

    // The id of the mining.notify subscription in [["mining.notify", "id"], ...] (or a lone pair), if the pool gave one.
    internal static string? NotifySubscriptionId(JsonElement subscriptions)
    {
        if (subscriptions.ValueKind != JsonValueKind.Array)
            return null;
        if (subscriptions.GetArrayLength() == 2 && subscriptions[0].ValueKind == JsonValueKind.String)
            return subscriptions[0].GetString() == "mining.notify" && subscriptions[1].ValueKind == JsonValueKind.String ? subscriptions[1].GetString() : null;
        foreach (var pair in subscriptions.EnumerateArray())
        {
            if (pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2 && pair[0].ValueKind == JsonValueKind.String
                && pair[0].GetString() == "mining.notify" && pair[1].ValueKind == JsonValueKind.String)
                return pair[1].GetString();
        }
        return null;
    }

    internal static bool TryHex(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 2 != 0)
            return false;
        bytes = new byte[text.Length / 2];
        return Convert.FromHexString(text, bytes, out _, out int written) == OperationStatus.Done && written == bytes.Length;
    }

    internal static bool TryWord(string text, out uint value) =>
        uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && text.Length is > 0 and <= 8;

    internal static string ErrorText(JsonElement error) =>
        error.ValueKind == JsonValueKind.Array && error.GetArrayLength() > 1 && error[1].ValueKind == JsonValueKind.String
            ? Shorten($"{error[1].GetString()} ({error[0]})")
            : Shorten(error.GetRawText());

    internal static string Shorten(string text) => text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 117), "...");

    internal static string Request(long id, string method, Action<Utf8JsonWriter> writeParams)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", id);
            writer.WriteString("method", method);
            writer.WriteStartArray("params");
            writeParams(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal static string Response(string rawId, Action<Utf8JsonWriter> writeResult)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("id");
            writer.WriteRawValue(rawId);
            writer.WritePropertyName("result");
            writeResult(writer);
            writer.WriteNull("error");
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Reads <c>client.reconnect</c>'s <c>[host, port, wait]</c> (each optional): where to connect next, over the same transport as
    /// <paramref name="current"/>, and how long to wait first (at most <paramref name="maxWait"/>). A part that is not valid is
    /// replaced by the current pool's or 0, and <paramref name="ignored"/> says which.
    /// </summary>
    internal static StratumClient.Redirect ReadReconnect(JsonElement parameters, StratumUrl current, TimeSpan maxWait, out string? ignored)
    {
        ignored = null;
        string host = current.Host;
        int port = current.Port;
        double wait = 0;
        int count = parameters.ValueKind == JsonValueKind.Array ? parameters.GetArrayLength() : 0;
        if (count > 0 && parameters[0] is { ValueKind: JsonValueKind.String } h && h.GetString() is { Length: > 0 and <= 255 } name && !name.Any(char.IsWhiteSpace))
            host = name;
        else if (count > 0 && parameters[0].ValueKind is not JsonValueKind.Null)
            ignored = "the host is not a name; staying with this pool's";
        if (count > 1)
        {
            var p = parameters[1];
            bool ok = p.ValueKind == JsonValueKind.Number ? p.TryGetInt32(out port)
                : p.ValueKind == JsonValueKind.String && int.TryParse(p.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out port);
            if (!ok || port is < 1 or > 65535)
            {
                port = current.Port;
                ignored = "the port is not from 1 to 65535; staying with this pool's";
            }
        }
        if (count > 2)
        {
            var w = parameters[2];
            bool ok = w.ValueKind == JsonValueKind.Number ? w.TryGetDouble(out wait)
                : w.ValueKind == JsonValueKind.String && double.TryParse(w.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out wait);
            if (!ok || !double.IsFinite(wait) || wait < 0)
            {
                wait = 0;
                ignored = "the wait is not a number of seconds; reconnecting at once";
            }
        }
        return new StratumClient.Redirect(new StratumUrl(host, port, current.UseTls), TimeSpan.FromSeconds(Math.Min(wait, maxWait.TotalSeconds)));
    }
}
