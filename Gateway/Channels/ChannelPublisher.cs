using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Hosting;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>
/// Hands a channel event's serialized frame to its channel grain: one call per channel, whatever
/// the subscriber count. Events of cache channels are marked to be kept there.
/// </summary>
public sealed class ChannelPublisher(IGrainFactory grains, GatewayOptions options)
{
    public Task Publish(string appId, string channel, byte[] frame, string? exceptSocketId) =>
        grains.GetGrain<IChannelGrain>(ChannelKey.Format(appId, channel)).Publish(new Publication(
            frame, exceptSocketId, CacheChannels.IsCache(channel) ? options.ChannelCacheTtl : null));
}
