using System.Buffers.Text;

namespace SoketiOrleans.Bench.Frames;

/// <summary>
/// Reads the few things the generator needs straight from a frame's bytes: parsing every received
/// frame into a JSON document would cost the generator more than the server spends sending it.
/// Tolerant to key order and to whitespace around the colon; a top-level key is found by its quoted
/// name, which cannot appear unescaped inside a JSON string value.
/// </summary>
public static class FrameScanner
{
    public static FrameKind Kind(ReadOnlySpan<byte> frame)
    {
        var name = StringValue(frame, "\"event\""u8);
        if (!name.StartsWith("pusher"u8))
            return FrameKind.Event;
        return name switch
        {
            _ when name.SequenceEqual("pusher:ping"u8) => FrameKind.Ping,
            _ when name.SequenceEqual("pusher:pong"u8) => FrameKind.Pong,
            _ when name.SequenceEqual("pusher_internal:subscription_succeeded"u8) => FrameKind.SubscriptionSucceeded,
            _ when name.SequenceEqual("pusher_internal:member_added"u8) => FrameKind.MemberAdded,
            _ when name.SequenceEqual("pusher_internal:member_removed"u8) => FrameKind.MemberRemoved,
            _ when name.SequenceEqual("pusher:connection_established"u8) => FrameKind.ConnectionEstablished,
            _ when name.SequenceEqual("pusher:subscription_error"u8) => FrameKind.SubscriptionError,
            _ when name.SequenceEqual("pusher:error"u8) => FrameKind.Error,
            _ => FrameKind.OtherPusher,
        };
    }

    /// <summary>The sender's <c>Stopwatch</c> timestamp that the bench puts in <c>"data":"123"</c>, or -1.</summary>
    public static long Timestamp(ReadOnlySpan<byte> frame) =>
        Utf8Parser.TryParse(StringValue(frame, "\"data\""u8), out long value, out var used) && used > 0 ? value : -1;

    /// <summary>
    /// The socket id inside connection_established's data, which is itself a JSON string, so its quotes are
    /// escaped: after the name skip the escape, quote, colon and space characters, then take digits and dots.
    /// </summary>
    public static string? SocketId(ReadOnlySpan<byte> frame)
    {
        var at = frame.IndexOf("socket_id"u8);
        if (at < 0)
            return null;
        var rest = frame[(at + "socket_id".Length)..];
        rest = rest[Math.Max(0, rest.IndexOfAnyExcept("\\\": "u8))..];
        var end = rest.IndexOfAnyExcept("0123456789."u8);
        var id = end < 0 ? rest : rest[..end];
        return id.IsEmpty ? null : System.Text.Encoding.ASCII.GetString(id);
    }

    /// <summary>
    /// The string value of <paramref name="quotedKey"/> up to its first quote (event names and numbers hold
    /// no escapes); empty when the key is absent or its value is not a string.
    /// </summary>
    private static ReadOnlySpan<byte> StringValue(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> quotedKey)
    {
        var at = frame.IndexOf(quotedKey);
        if (at < 0)
            return default;
        var rest = frame[(at + quotedKey.Length)..].TrimStart(" \t\r\n"u8);
        if (rest.IsEmpty || rest[0] != (byte)':')
            return default;
        rest = rest[1..].TrimStart(" \t\r\n"u8);
        if (rest.IsEmpty || rest[0] != (byte)'"')
            return default;
        rest = rest[1..];
        var end = rest.IndexOf((byte)'"');
        return end < 0 ? default : rest[..end];
    }
}
