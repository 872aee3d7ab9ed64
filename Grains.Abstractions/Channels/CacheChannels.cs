namespace SoketiOrleans.Channels;

/// <summary>
/// Pusher's cache channels keep their last event for new subscribers. Each channel type has a
/// cache variant; the prefixes are anchored like the type prefixes.
/// </summary>
public static class CacheChannels
{
    public static bool IsCache(string channel) =>
        channel.StartsWith("cache-", StringComparison.Ordinal)
        || channel.StartsWith("private-cache-", StringComparison.Ordinal)
        || channel.StartsWith("private-encrypted-cache-", StringComparison.Ordinal)
        || channel.StartsWith("presence-cache-", StringComparison.Ordinal);
}
