using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SoketiOrleans.Protocol;

/// <summary>
/// Writes Pusher frames as UTF-8 JSON, once per frame; the bytes are then shared by every
/// recipient. Names pass through unescaped except where JSON requires it, so Laravel's
/// <c>App\Events\X</c> and <c>private-App.Models.User.7</c> reach clients unchanged.
/// </summary>
public static class PusherFrame
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// An event whose data is already JSON (a string token, or any value an API caller sent); empty
    /// <paramref name="rawData"/> leaves <c>data</c> out, as a client event sent without data arrives.
    /// </summary>
    public static byte[] Event(string eventName, string channel, ReadOnlySpan<byte> rawData, string? userId = null)
    {
        var buffer = Begin(out var writer);
        writer.WriteStartObject();
        writer.WriteString("event"u8, eventName);
        writer.WriteString("channel"u8, channel);
        if (!rawData.IsEmpty)
        {
            writer.WritePropertyName("data"u8);
            writer.WriteRawValue(rawData, skipInputValidation: true);
        }
        if (userId is not null)
        {
            writer.WriteString("user_id"u8, userId);
        }

        writer.WriteEndObject();
        return End(buffer, writer);
    }

    /// <summary>An event whose data is a JSON document sent as a JSON string, as Pusher's own events are.</summary>
    public static byte[] EventWithJsonString(string eventName, string? channel, ReadOnlySpan<byte> innerJson)
    {
        var buffer = Begin(out var writer);
        writer.WriteStartObject();
        writer.WriteString("event"u8, eventName);
        if (channel is not null)
        {
            writer.WriteString("channel"u8, channel);
        }

        writer.WriteString("data"u8, innerJson);
        writer.WriteEndObject();
        return End(buffer, writer);
    }

    /// <summary>
    /// Writes a JSON document with <paramref name="body"/> into a fresh array. Not re-entrant:
    /// build inner documents before outer ones.
    /// </summary>
    public static byte[] Json<TState>(TState state, Action<Utf8JsonWriter, TState> body)
    {
        var buffer = Begin(out var writer);
        body(writer, state);
        return End(buffer, writer);
    }

    public static byte[] Error(int code, string message, string? channel = null) =>
        Json((code, message, channel), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("event"u8, PusherEvents.Error);
            if (s.channel is not null)
            {
                w.WriteString("channel"u8, s.channel);
            }

            w.WriteStartObject("data"u8);
            w.WriteNumber("code"u8, s.code);
            w.WriteString("message"u8, s.message);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <param name="type">Omitted when null: soketi sends no type for a malformed channel name.</param>
    public static byte[] SubscriptionError(string channel, string? type, string error, int status) =>
        Json((channel, type, error, status), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("event"u8, PusherEvents.SubscriptionError);
            w.WriteString("channel"u8, s.channel);
            w.WriteStartObject("data"u8);
            if (s.type is not null)
            {
                w.WriteString("type"u8, s.type);
            }

            w.WriteString("error"u8, s.error);
            w.WriteNumber("status"u8, s.status);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    private static ArrayBufferWriter<byte> Begin(out Utf8JsonWriter writer)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        return buffer;
    }

    private static byte[] End(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        writer.Flush();
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 64 * 1024)
        {
            // One huge frame must not pin a large buffer to this thread for good.
            t_buffer = null;
            t_writer = null;
        }

        return bytes;
    }
}
