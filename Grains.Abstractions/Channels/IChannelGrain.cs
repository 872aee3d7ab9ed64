namespace SoketiOrleans.Channels;

/// <summary>
/// One per (app, channel), keyed by <see cref="ChannelKey"/>. Knows which gateways have
/// subscribers and how many; fans each frame out once per gateway.
/// </summary>
[Alias("so.IChannelGrain")]
public interface IChannelGrain : IGrainWithStringKey
{
    Task Register(GatewayRegistration registration);

    Task Publish(Publication publication);

    /// <summary>
    /// Sends <paramref name="frame"/> to one socket in order with the channel's stream; on a cache
    /// channel the cached event (or <c>pusher:cache_miss</c>) follows it.
    /// </summary>
    Task Welcome(string gatewayId, string socketId, byte[] frame);

    [ReadOnly]
    Task<int> SubscriptionCount();

    /// <summary>The unexpired cached event of a cache channel; null when there is none.</summary>
    [ReadOnly]
    Task<CachedEvent?> CachedEvent();
}
