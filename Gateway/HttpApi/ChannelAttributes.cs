using System.Runtime.InteropServices;
using System.Text.Json;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.HttpApi;

/// <summary>
/// A channel's attributes as the HTTP API reports them, read from the grains that own them (so
/// they count every gateway). Null attributes were not asked for, or do not apply to the channel.
/// </summary>
internal sealed record ChannelAttributes(int? SubscriptionCount, int? UserCount, CachedEvent? Cache)
{
    /// <summary>Reads what <paramref name="wanted"/> names and the channel has, in parallel.</summary>
    public static async Task<ChannelAttributes> Read(ICluster cluster, string appId, string channel, ChannelInfo wanted)
    {
        var key = ChannelKey.Format(appId, channel);
        var subscriptions = wanted.SubscriptionCount ? ClusterRetry.Read(() => cluster.SubscriptionCount(key)) : null;
        var users = wanted.UserCount && ChannelName.IsPresence(channel) ? ClusterRetry.Read(() => cluster.UserCount(key)) : null;
        var cache = wanted.Cache && CacheChannels.IsCache(channel) ? ClusterRetry.Read(() => cluster.CachedEvent(key)) : null;
        return new ChannelAttributes(
            subscriptions is null ? null : await subscriptions,
            users is null ? null : await users,
            cache is null ? null : await cache);
    }

    /// <summary>
    /// Writes the attributes as properties of the open object. <c>cache</c> is the cached event's
    /// name and data with its seconds left (rounded up, so a live entry never reads 0).
    /// </summary>
    public void WriteProperties(Utf8JsonWriter writer)
    {
        if (SubscriptionCount is { } subscriptions)
        {
            writer.WriteNumber("subscription_count"u8, subscriptions);
        }

        if (UserCount is { } users)
        {
            writer.WriteNumber("user_count"u8, users);
        }

        if (Cache is { } cache)
        {
            using var frame = JsonDocument.Parse(cache.Frame);
            writer.WriteStartObject("cache"u8);
            writer.WritePropertyName("event"u8);
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(frame.RootElement.GetProperty("event"u8)), skipInputValidation: true);
            if (frame.RootElement.TryGetProperty("data"u8, out var data))
            {
                writer.WritePropertyName("data"u8);
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(data), skipInputValidation: true);
            }

            writer.WriteNumber("ttl"u8, (long)Math.Ceiling(cache.TimeToLive.TotalSeconds));
            writer.WriteEndObject();
        }
    }
}
