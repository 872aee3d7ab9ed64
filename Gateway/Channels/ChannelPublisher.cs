using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.Hosting;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>
/// Hands a channel event's serialized frame to its channel grain: one call per channel, whatever
/// the subscriber count. Events of cache channels are marked to be kept there.
/// </summary>
public sealed class ChannelPublisher(ICluster cluster, GatewayOptions options)
{
    /// <summary>
    /// An HTTP API event: confirmed by every gateway before the call returns, and retried (with an
    /// id that lets gateways drop a second copy) while a failed silo's grain moves.
    /// </summary>
    /// <exception cref="ClusterUnavailableException">The grain could not be reached within the retry budget.</exception>
    public Task PublishAcknowledged(string appId, string channel, byte[] frame, string? exceptSocketId)
    {
        var publication = new Publication(frame, exceptSocketId, CacheFor(channel), PublishId: NewPublishId(), Confirmed: true);
        return ClusterRetry.Run(() => cluster.Publish(ChannelKey.Format(appId, channel), publication));
    }

    /// <summary>A client event: once, not waited for by anyone.</summary>
    public Task Publish(string appId, string channel, byte[] frame, string? exceptSocketId) =>
        cluster.Publish(ChannelKey.Format(appId, channel), new Publication(frame, exceptSocketId, CacheFor(channel)));

    private TimeSpan? CacheFor(string channel) => CacheChannels.IsCache(channel) ? options.ChannelCacheTtl : null;

    private static long NewPublishId()
    {
        long id;
        do
        {
            id = Random.Shared.NextInt64();
        }
        while (id == 0);

        return id;
    }
}
