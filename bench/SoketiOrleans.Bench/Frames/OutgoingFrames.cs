using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SoketiOrleans.Bench.Frames;

/// <summary>The client frames that are built once per socket (subscribe, unsubscribe) or never change (pong).</summary>
public static class OutgoingFrames
{
    public static readonly ReadOnlyMemory<byte> Pong = """{"event":"pusher:pong","data":{}}"""u8.ToArray();

    // Relaxed escaping writes channel_data's quotes as \" like every Pusher client, not as \u0022.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Subscribe(string channel, string? auth = null, string? channelData = null) =>
        JsonObject(w =>
        {
            w.WriteString("event", "pusher:subscribe");
            w.WriteStartObject("data");
            w.WriteString("channel", channel);
            if (auth is not null)
                w.WriteString("auth", auth);
            if (channelData is not null)
                w.WriteString("channel_data", channelData);
            w.WriteEndObject();
        });

    /// <summary>A signed presence subscribe for <paramref name="userId"/>, with empty user info.</summary>
    public static byte[] SubscribePresence(ChannelAuth auth, string socketId, string channel, string userId)
    {
        var channelData = $$$"""{"user_id":"{{{userId}}}","user_info":{}}""";
        return Subscribe(channel, auth.Presence(socketId, channel, channelData), channelData);
    }

    public static byte[] Unsubscribe(string channel) =>
        JsonObject(w =>
        {
            w.WriteString("event", "pusher:unsubscribe");
            w.WriteStartObject("data");
            w.WriteString("channel", channel);
            w.WriteEndObject();
        });

    public static byte[] JsonObject(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
