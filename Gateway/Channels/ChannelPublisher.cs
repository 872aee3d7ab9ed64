using SoketiOrleans.Channels;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>Hands a serialized frame to its channel grain: one call per channel, whatever the subscriber count.</summary>
public sealed class ChannelPublisher(IGrainFactory grains)
{
    public Task Publish(string appId, string channel, byte[] frame, string? exceptSocketId) =>
        grains.GetGrain<IChannelGrain>(ChannelKey.Format(appId, channel)).Publish(new Publication(frame, exceptSocketId));
}
