using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Gateway.Users;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>channel → this gateway's sockets in it: the only per-socket state, and it stays local.</summary>
public sealed class LocalChannelIndex(
    ICluster cluster, GatewayIdentity gateway, Reassertion.Reassertion reassertion, LocalUsers users, ILogger<LocalChannel> logger)
{
    /// <summary>How long a subscribe waits for its channel grain (it is retried meanwhile, e.g. while a dead silo's grains move).</summary>
    public static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, LocalChannel> _channels = new(StringComparer.Ordinal);

    public int Count => _channels.Count;

    /// <summary>
    /// Adds the socket to the channel and waits until the channel grain has taken it. False: a
    /// presence channel at its member limit refused the socket's user. Throws when the grain could
    /// not be reached in time (the socket is then taken out again).
    /// </summary>
    internal async Task<(LocalChannel Channel, bool Admitted)> Join(App app, string channel, PusherSocket socket, PresenceSocket? member = null)
    {
        var key = ChannelKey.Format(app.Id, channel);
        while (true)
        {
            var local = _channels.GetOrAdd(key, _ => new LocalChannel(
                app.Id, channel, app.MaxPresenceMembersPerChannel, this, gateway, cluster, reassertion, Told(app.Id, channel), logger));
            if (local.Join(socket, member) is { } joined)
            {
                try
                {
                    return (local, await joined.WaitAsync(JoinTimeout));
                }
                catch
                {
                    local.Leave(socket);
                    throw;
                }
            }
        }
    }

    /// <summary>A user's server-to-user channel tells the user's local state what watchlist events its sockets got.</summary>
    private Action<WatchlistNotice>? Told(string appId, string channel) =>
        ServerToUserChannel.UserIdOf(channel) is { } userId ? notice => users.Told(appId, userId, notice) : null;

    internal LocalChannel? Find(string channelKey) => _channels.GetValueOrDefault(channelKey);

    internal IEnumerable<LocalChannel> OfApp(string appId) => _channels.Values.Where(c => c.AppId == appId);

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
