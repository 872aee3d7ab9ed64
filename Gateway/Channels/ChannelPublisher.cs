using System.Diagnostics;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Gateway.Metrics;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>
/// Hands a channel event's serialized frame to its channel grain: one call per channel, whatever
/// the subscriber count. Events of cache channels are marked to be kept there. A channel the grain
/// has leased to this gateway (all its subscribers are here) is delivered here, without the grain.
/// </summary>
public sealed class ChannelPublisher(ICluster cluster, LocalChannelIndex channels, GatewayOptions options, GatewayMetrics metrics)
{
    /// <summary>
    /// An HTTP API event: confirmed by every gateway before the call returns, and retried (with an
    /// id that lets gateways drop a second copy) while a failed silo's grain moves.
    /// </summary>
    /// <exception cref="ClusterUnavailableException">The grain could not be reached within the retry budget.</exception>
    public async Task PublishAcknowledged(string appId, string channel, byte[] frame, string? exceptSocketId)
    {
        var started = Stopwatch.GetTimestamp();
        var key = ChannelKey.Format(appId, channel);
        if (!DeliveredUnderLease(key, frame, exceptSocketId))
        {
            var publication = new Publication(frame, exceptSocketId, CacheFor(channel), PublishId: NewPublishId(), Confirmed: true);
            await ClusterRetry.Run(() => cluster.Publish(key, publication));
        }

        metrics.ForApp(appId).Delivered(Stopwatch.GetElapsedTime(started));
    }

    /// <summary>A client event: once, not waited for by anyone.</summary>
    public Task Publish(string appId, string channel, byte[] frame, string? exceptSocketId)
    {
        var key = ChannelKey.Format(appId, channel);
        return DeliveredUnderLease(key, frame, exceptSocketId)
            ? Task.CompletedTask
            : cluster.Publish(key, new Publication(frame, exceptSocketId, CacheFor(channel)));
    }

    private bool DeliveredUnderLease(string channelKey, byte[] frame, string? exceptSocketId) =>
        channels.Find(channelKey) is { } local && local.TryDeliverUnderLease(frame, exceptSocketId);

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
