using SoketiOrleans.Gateways;
using SoketiOrleans.Users;

namespace SoketiOrleans.Channels;

/// <summary>
/// One per (app, channel), keyed by <see cref="ChannelKey"/>: which gateways have subscribers and
/// how many, and for presence channels the members, once for the cluster. Fans each frame out once
/// per gateway.
/// </summary>
[Alias("so.IChannelGrain")]
public interface IChannelGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes the gateway's state. New presence members are announced to the others, and each new
    /// presence socket is sent its <c>subscription_succeeded</c> snapshot in the channel's stream.
    /// </summary>
    /// <returns>The presence sockets refused because a new user would exceed <paramref name="maxMembers"/> (negative: no limit).</returns>
    Task<string[]> Report(ChannelReport report, int maxMembers);

    Task Publish(Publication publication);

    /// <summary>
    /// Sends <paramref name="frame"/> (null: a presence channel's current snapshot) to one socket in
    /// order with the channel's stream; on a cache channel the cached event (or
    /// <c>pusher:cache_miss</c>) follows it.
    /// </summary>
    /// <param name="watchlist">What the frame says when it is a watchlist event.</param>
    Task Welcome(string gatewayId, string socketId, byte[]? frame, WatchlistNotice? watchlist = null);

    /// <summary>The gateway is gone: what it held leaves, announced once.</summary>
    Task Depart(GatewayDeparture departure);

    [ReadOnly]
    Task<int> SubscriptionCount();

    [ReadOnly]
    Task<int> UserCount();

    [ReadOnly]
    Task<string[]> UserIds();

    /// <summary>The unexpired cached event of a cache channel; null when there is none.</summary>
    [ReadOnly]
    Task<CachedEvent?> CachedEvent();
}
