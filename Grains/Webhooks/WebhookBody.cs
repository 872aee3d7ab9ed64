using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Webhooks;

/// <summary>
/// Pusher's webhook body, <c>{"time_ms":…,"events":[…]}</c>, with soketi's event fields in soketi's
/// order. Written once per batch: retries send the same bytes, so the signature stays valid.
/// </summary>
public static class WebhookBody
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Create(IReadOnlyList<WebhookEvent> events, DateTimeOffset createdAt)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("time_ms"u8, createdAt.ToUnixTimeMilliseconds());
            writer.WriteStartArray("events"u8);
            foreach (var e in events)
            {
                WriteEvent(writer, e);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteEvent(Utf8JsonWriter writer, WebhookEvent e)
    {
        writer.WriteStartObject();
        writer.WriteString("name"u8, e.Name);
        writer.WriteString("channel"u8, e.Channel);
        if (e.Event is not null)
        {
            writer.WriteString("event"u8, e.Event);
        }

        if (e.DataJson is not null)
        {
            writer.WritePropertyName("data"u8);
            writer.WriteRawValue(e.DataJson, skipInputValidation: true);
        }

        if (e.SocketId is not null)
        {
            writer.WriteString("socket_id"u8, e.SocketId);
        }

        if (e.UserId is not null)
        {
            writer.WriteString("user_id"u8, e.UserId);
        }

        if (e.SubscriptionCount is { } count)
        {
            writer.WriteNumber("subscription_count"u8, count);
        }

        writer.WriteEndObject();
    }
}
