using System.Text;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.Protocol;

/// <summary>The frames a gateway writes itself (grains write the fan-out ones).</summary>
public static class ServerFrames
{
    public static readonly byte[] Pong = """{"event":"pusher:pong","data":{}}"""u8.ToArray();

    public static readonly byte[] Ping = """{"event":"pusher:ping","data":{}}"""u8.ToArray();

    private static readonly byte[] EmptyObjectString = "\"{}\""u8.ToArray();

    public static byte[] ConnectionEstablished(string socketId, int activityTimeoutSeconds) =>
        PusherFrame.EventWithJsonString(
            PusherEvents.ConnectionEstablished,
            channel: null,
            Encoding.UTF8.GetBytes($$"""{"socket_id":"{{socketId}}","activity_timeout":{{activityTimeoutSeconds}}}"""));

    public static byte[] SubscriptionSucceeded(string channel) =>
        PusherFrame.Event(PusherEvents.SubscriptionSucceeded, channel, EmptyObjectString);
}
