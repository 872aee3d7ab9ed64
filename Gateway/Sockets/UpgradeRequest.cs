using System.Buffers;
using System.Buffers.Text;
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

    private static ReadOnlySpan<byte> AcceptGuid => "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8;

    private static ReadOnlySpan<byte> SwitchingHead => "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: "u8;

    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    /// <summary>Heads up to this many bytes are read on the stack; longer ones (up to <see cref="MaxHeaderBytes"/>) in a pooled array.</summary>
    private const int StackHeadChars = 1024;

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
        request = Parse(head, start.Length);
        return request is null ? Outcome.NotTaken : Outcome.Upgrade;
    }

    /// <summary>Writes the <c>101 Switching Protocols</c> answer that accepts this request.</summary>
    public void WriteSwitchingProtocols(IBufferWriter<byte> output)
    {
        // The key is 24 base64 characters (checked when read), so ASCII.
        Span<byte> keyAndGuid = stackalloc byte[Key.Length + AcceptGuid.Length];
        Encoding.ASCII.GetBytes(Key, keyAndGuid);
        AcceptGuid.CopyTo(keyAndGuid[Key.Length..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(keyAndGuid, hash);

        var answer = output.GetSpan(SwitchingHead.Length + Base64.GetMaxEncodedToUtf8Length(hash.Length) + HeadEnd.Length);
        SwitchingHead.CopyTo(answer);
        Base64.EncodeToUtf8(hash, answer[SwitchingHead.Length..], out _, out var written);
        HeadEnd.CopyTo(answer[(SwitchingHead.Length + written)..]);
        output.Advance(SwitchingHead.Length + written + HeadEnd.Length);
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
    private static UpgradeRequest? Parse(in ReadOnlySequence<byte> head, int startLength)
    {
        // Read as Latin-1 text, as Kestrel reads header bytes; only what the request keeps becomes a string.
        var length = (int)head.Length;
        char[]? rented = null;
        var text = length <= StackHeadChars ? stackalloc char[StackHeadChars] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            text = text[..Encoding.Latin1.GetChars(head, text)];
            return Parse(text, startLength);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static UpgradeRequest? Parse(ReadOnlySpan<char> head, int startLength)
    {
        var requestLine = NextLine(ref head, out var more);
        var firstSpace = requestLine.IndexOf(' ');
        var lastSpace = requestLine.LastIndexOf(' ');
        if (firstSpace < 0 || lastSpace == firstSpace || requestLine[(firstSpace + 1)..lastSpace].Contains(' ')
            || !requestLine[..firstSpace].SequenceEqual("GET") || !requestLine[(lastSpace + 1)..].SequenceEqual("HTTP/1.1"))
        {
            return null;
        }

        var target = requestLine[(firstSpace + 1)..lastSpace];
        var queryStart = target.IndexOf('?');
        var path = queryStart < 0 ? target : target[..queryStart];
        var appKey = path[Math.Min(path.Length, startLength - "GET ".Length)..];
        if (appKey.IsEmpty || appKey.IndexOfAny('/', '%') >= 0)
        {
            return null;
        }

        var seen = Header.None;
        ReadOnlySpan<char> upgrade = default, connection = default, key = default, version = default, origin = default;
        while (more)
        {
            var line = NextLine(ref head, out more);
            var colon = line.IndexOf(':');
            if (colon <= 0 || char.IsWhiteSpace(line[0]) || char.IsWhiteSpace(line[colon - 1]))
            {
                return null;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t");
            var taken = name switch
            {
                _ when name.Equals("host", StringComparison.OrdinalIgnoreCase) => Once(ref seen, Header.Host),
                _ when name.Equals("upgrade", StringComparison.OrdinalIgnoreCase) => Once(ref seen, Header.Upgrade, ref upgrade, value),
                _ when name.Equals("connection", StringComparison.OrdinalIgnoreCase) => Once(ref seen, Header.Connection, ref connection, value),
                _ when name.Equals("sec-websocket-key", StringComparison.OrdinalIgnoreCase) => Once(ref seen, Header.Key, ref key, value),
                _ when name.Equals("sec-websocket-version", StringComparison.OrdinalIgnoreCase) => Once(ref seen, Header.Version, ref version, value),
                _ when name.Equals("origin", StringComparison.OrdinalIgnoreCase) => Once(ref seen, Header.Origin, ref origin, value),
                _ when name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase) => false,
                _ => true,
            };
            if (!taken)
            {
                return null;
            }
        }

        // What ASP.NET Core asks of a WebSocket request, so both paths take the same ones.
        var isUpgrade = seen.HasFlag(Header.Host)
            && upgrade.Equals("websocket", StringComparison.OrdinalIgnoreCase)
            && HasUpgradeToken(connection)
            && version.SequenceEqual("13")
            && IsValidKey(key);
        return isUpgrade
            ? new UpgradeRequest(appKey.ToString(), ProtocolParameter(queryStart < 0 ? default : target[(queryStart + 1)..]),
                seen.HasFlag(Header.Origin) ? origin.ToString() : null, key.ToString())
            : null;
    }

    /// <summary>The text up to the next CRLF, or all of it when there is none (then <paramref name="more"/> is false).</summary>
    private static ReadOnlySpan<char> NextLine(scoped ref ReadOnlySpan<char> text, out bool more)
    {
        var end = text.IndexOf("\r\n");
        more = end >= 0;
        var line = more ? text[..end] : text;
        text = more ? text[(end + 2)..] : default;
        return line;
    }

    private static bool Once(ref Header seen, Header header)
    {
        if (seen.HasFlag(header))
        {
            return false;
        }

        seen |= header;
        return true;
    }

    private static bool Once(ref Header seen, Header header, ref ReadOnlySpan<char> slot, ReadOnlySpan<char> value)
    {
        slot = value;
        return Once(ref seen, header);
    }

    private static bool HasUpgradeToken(ReadOnlySpan<char> connection)
    {
        foreach (var token in connection.Split(','))
        {
            if (connection[token].Trim().Equals("upgrade", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsValidKey(ReadOnlySpan<char> key)
    {
        Span<byte> decoded = stackalloc byte[16];
        return key.Length == 24 && Convert.TryFromBase64Chars(key, decoded, out var written) && written == 16;
    }

    /// <summary>The first <c>protocol</c> parameter, decoded as ASP.NET Core's query collection does.</summary>
    private static string? ProtocolParameter(ReadOnlySpan<char> query)
    {
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            if (Decode(name).Equals("protocol", StringComparison.OrdinalIgnoreCase))
            {
                return equals < 0 ? "" : Decode(pair[(equals + 1)..]).ToString();
            }
        }

        return null;
    }

    /// <summary>A query component with <c>+</c> as a space and percent-escapes undone; as it is when it has neither.</summary>
    private static ReadOnlySpan<char> Decode(ReadOnlySpan<char> component) =>
        component.ContainsAny('%', '+') ? Uri.UnescapeDataString(component.ToString().Replace('+', ' ')) : component;

    [Flags]
    private enum Header
    {
        None = 0,
        Host = 1,
        Upgrade = 2,
        Connection = 4,
        Key = 8,
        Version = 16,
        Origin = 32,
    }
}
