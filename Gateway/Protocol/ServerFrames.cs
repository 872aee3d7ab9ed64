using System.Diagnostics;
using System.Text.Unicode;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.Protocol;

/// <summary>The frames a gateway writes itself (grains write the fan-out ones).</summary>
public static class ServerFrames
{
    public static readonly byte[] Pong = """{"event":"pusher:pong","data":{}}"""u8.ToArray();

    public static readonly byte[] Ping = """{"event":"pusher:ping","data":{}}"""u8.ToArray();

    private static readonly byte[] EmptyObjectString = "\"{}\""u8.ToArray();

    public static byte[] ConnectionEstablished(string socketId, int activityTimeoutSeconds)
    {
        // Sized for any id (3 UTF-8 bytes per UTF-16 unit at most) and any int: the data never leaves the stack.
        Span<byte> data = stackalloc byte[socketId.Length * 3 + 64];
        var fits = Utf8.TryWrite(data, $$"""{"socket_id":"{{socketId}}","activity_timeout":{{activityTimeoutSeconds}}}""", out var written);
        Debug.Assert(fits);
        return PusherFrame.EventWithJsonString(PusherEvents.ConnectionEstablished, channel: null, data[..written]);
    }

    public static byte[] SubscriptionSucceeded(string channel) =>
        PusherFrame.Event(PusherEvents.SubscriptionSucceeded, channel, EmptyObjectString);
}
