using System.Text.Json;
using System.Text.Json.Serialization;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Webhooks.Redis;

/// <summary>
/// A <see cref="WebhookEvent"/> as stored in a stream entry: one-letter names, absent fields left
/// out (and optional when read). Its own type, so renaming the event's properties never changes what nodes of another version
/// read from the same stream.
/// </summary>
internal sealed record RedisWebhookEntry(
    [property: JsonPropertyName("n")] string Name,
    [property: JsonPropertyName("c")] string Channel,
    [property: JsonPropertyName("u")] string? UserId = null,
    [property: JsonPropertyName("e")] string? Event = null,
    [property: JsonPropertyName("d")] string? DataJson = null,
    [property: JsonPropertyName("s")] string? SocketId = null,
    [property: JsonPropertyName("k")] int? SubscriptionCount = null)
{
    public static byte[] Serialize(WebhookEvent e) => JsonSerializer.SerializeToUtf8Bytes(
        new RedisWebhookEntry(e.Name, e.Channel, e.UserId, e.Event, e.DataJson, e.SocketId, e.SubscriptionCount),
        RedisWebhookJson.Default.RedisWebhookEntry);

    /// <exception cref="JsonException">Not an entry this version can read.</exception>
    public static WebhookEvent Deserialize(ReadOnlySpan<byte> json)
    {
        var entry = JsonSerializer.Deserialize(json, RedisWebhookJson.Default.RedisWebhookEntry)
            ?? throw new JsonException("null entry");
        return new WebhookEvent(entry.Name, entry.Channel)
        {
            UserId = entry.UserId,
            Event = entry.Event,
            DataJson = entry.DataJson,
            SocketId = entry.SocketId,
            SubscriptionCount = entry.SubscriptionCount,
        };
    }
}

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(RedisWebhookEntry))]
internal sealed partial class RedisWebhookJson : JsonSerializerContext;
