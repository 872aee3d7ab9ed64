using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Sockets;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>channel → this gateway's sockets in it: the only per-socket state, and it stays local.</summary>
public sealed class LocalChannelIndex(IGrainFactory grains, GatewayIdentity gateway, ILogger<LocalChannel> logger)
{
    private readonly ConcurrentDictionary<string, LocalChannel> _channels = new(StringComparer.Ordinal);

    public int Count => _channels.Count;

    /// <summary>Adds the socket to the channel and waits until the channel grain has this gateway registered.</summary>
    internal async Task<LocalChannel> Join(string appId, string channel, PusherSocket socket)
    {
        var key = ChannelKey.Format(appId, channel);
        while (true)
        {
            var local = _channels.GetOrAdd(key, k => new LocalChannel(k, this, gateway, grains.GetGrain<IChannelGrain>(k), logger));
            if (local.Join(socket) is { } registered)
            {
                try
                {
                    await registered;
                }
                catch
                {
                    local.Leave(socket);
                    throw;
                }

                return local;
            }
        }
    }

    internal void Deliver(ChannelDelivery delivery)
    {
        if (_channels.TryGetValue(delivery.ChannelKey, out var local))
        {
            local.Deliver(delivery);
        }
    }

    internal void SkipStaleGaps(TimeSpan age)
    {
        foreach (var local in _channels.Values)
        {
            local.SkipStaleGap(age);
        }
    }

    internal void Remove(LocalChannel local) => _channels.TryRemove(KeyValuePair.Create(local.Key, local));
}
