using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// A connection's first request when it is a plain WebSocket upgrade to <c>{prefix}/app/{key}</c>,
/// read straight off the transport. Such a connection never enters Kestrel's HTTP/1 code, whose
/// per-connection state would otherwise stay alive under the upgrade for the socket's whole life.
/// Anything less plain (a trailing slash, an escaped key, a body, a missing or repeated header) is
/// not taken here: Kestrel and the routed endpoint answer it as they always did.
/// </summary>
/// <param name="Protocol">The <c>protocol</c> query parameter: null when absent, "" when empty.</param>
internal sealed record UpgradeRequest(string AppKey, string? Protocol, string? Origin, string Key)
{
    /// <summary>Kestrel allows 32 KiB of headers; a pusher-js handshake is well under 1 KiB.</summary>
    internal const int MaxHeaderBytes = 16 * 1024;

    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    internal enum Outcome
    {
        NeedMore,
        NotTaken,
        Upgrade,
    }

    /// <summary>How such a request starts, <c>GET {prefix}/app/</c>: made once per server, as <see cref="TryRead"/> looks at every connection's first bytes.</summary>
    public static byte[] Start(string pathPrefix) => Encoding.Latin1.GetBytes($"GET {pathPrefix}/app/");

    /// <param name="start">From <see cref="Start"/>.</param>
    /// <param name="end">Where the request ends (the WebSocket's bytes may follow it) when it is an upgrade.</param>
    public static Outcome TryRead(in ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> start, out UpgradeRequest? request, out SequencePosition end)
    {
        request = null;
        end = buffer.Start;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8))
        {
            return buffer.Length < MaxHeaderBytes && StartsLikeOne(buffer, start) ? Outcome.NeedMore : Outcome.NotTaken;
        }

        if (head.Length > MaxHeaderBytes || !StartsLikeOne(head, start))
        {
            return Outcome.NotTaken;
        }

        end = reader.Position;
        request = Parse(Encoding.Latin1.GetString(head), start.Length);
        return request is null ? Outcome.NotTaken : Outcome.Upgrade;
    }

    /// <summary>The <c>101 Switching Protocols</c> answer that accepts this request.</summary>
    public byte[] SwitchingProtocols()
    {
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(Key + AcceptGuid)));
        return Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {accept}\r\n\r\n");
    }

    /// <summary>Whether what arrived so far may still become <paramref name="start"/> (ignoring case): anything else goes to Kestrel at once.</summary>
    private static bool StartsLikeOne(in ReadOnlySequence<byte> received, ReadOnlySpan<byte> start)
    {
        var length = (int)Math.Min(received.Length, start.Length);
        Span<byte> first = stackalloc byte[length];
        received.Slice(0, length).CopyTo(first);
        return Ascii.EqualsIgnoreCase(first, start[..length]);
    }

    /// <param name="startLength">The length of <c>GET {prefix}/app/</c>, which the head is known to start with.</param>
    private static UpgradeRequest? Parse(string head, int startLength)
    {
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine is not ["GET", var target, "HTTP/1.1"])
        {
            return null;
        }

        var queryStart = target.IndexOf('?');
        var path = queryStart < 0 ? target : target[..queryStart];
        var appKey = path[(startLength - "GET ".Length)..];
        if (appKey.Length == 0 || appKey.AsSpan().IndexOfAny('/', '%') >= 0)
        {
            return null;
        }

        string? host = null, upgrade = null, connection = null, key = null, version = null, origin = null;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0 || char.IsWhiteSpace(line[0]) || char.IsWhiteSpace(line[colon - 1]))
            {
                return null;
            }

            var value = line[(colon + 1)..].Trim(' ', '\t');
            var taken = line[..colon].ToLowerInvariant() switch
            {
                "host" => Once(ref host, value),
                "upgrade" => Once(ref upgrade, value),
                "connection" => Once(ref connection, value),
                "sec-websocket-key" => Once(ref key, value),
                "sec-websocket-version" => Once(ref version, value),
                "origin" => Once(ref origin, value),
                "content-length" or "transfer-encoding" => false,
                _ => true,
            };
            if (!taken)
            {
                return null;
            }
        }

        // What ASP.NET Core asks of a WebSocket request, so both paths take the same ones.
        var isUpgrade = host is not null
            && string.Equals(upgrade, "websocket", StringComparison.OrdinalIgnoreCase)
            && connection is not null && connection.Split(',').Any(t => t.Trim().Equals("upgrade", StringComparison.OrdinalIgnoreCase))
            && version == "13"
            && IsValidKey(key);
        return isUpgrade ? new UpgradeRequest(appKey, ProtocolParameter(queryStart < 0 ? "" : target[(queryStart + 1)..]), origin, key!) : null;
    }

    private static bool Once(ref string? slot, string value)
    {
        if (slot is not null)
        {
            return false;
        }

        slot = value;
        return true;
    }

    private static bool IsValidKey(string? key)
    {
        Span<byte> decoded = stackalloc byte[16];
        return key is { Length: 24 } && Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }

    /// <summary>The first <c>protocol</c> parameter, decoded as ASP.NET Core's query collection does.</summary>
    private static string? ProtocolParameter(string query)
    {
        foreach (var pair in query.Split('&'))
        {
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            if (Decode(name).Equals("protocol", StringComparison.OrdinalIgnoreCase))
            {
                return equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            }
        }

        return null;
    }

    private static string Decode(string component) => Uri.UnescapeDataString(component.Replace('+', ' '));
}
