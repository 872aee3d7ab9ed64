using SoketiOrleans.Channels;
using SoketiOrleans.Gateways;
using SoketiOrleans.Users;

namespace SoketiOrleans.Grains.Channels;

/// <summary>
/// One gateway's part of a channel: its sockets (and, in presence channels, their members) and the
/// channel's ordered stream to it.
/// </summary>
/// <param name="inProcess">The gateway's own object when it runs in this process; null when it is elsewhere.</param>
internal sealed class GatewayShare(ChannelReport report, IGatewayObserver? inProcess)
{
    private IGatewayObserver _observer = report.Observer;
    private long _nextSequence = 1;
    /// <summary>The gateway in this process while it holds the channel's lease; null otherwise.</summary>
    private IChannelLeases? _leaseHolder;

    public string GatewayId { get; } = report.GatewayId;

    public long Registration { get; private set; } = report.Registration;

    public long Version { get; private set; } = report.Version;

    public int SocketCount => Members?.Count ?? _socketCount;

    /// <summary>Presence channels: the gateway's admitted sockets by id.</summary>
    public Dictionary<string, PresenceSocket>? Members { get; set; }

    private int _socketCount = report.SocketCount;

    /// <summary>
    /// Takes a newer report's count and stream. A higher registration restarts the sequence; a lower
    /// one is a report that was on its way while a new activation asked the gateway for a new stream.
    /// </summary>
    public void Renew(ChannelReport renewed)
    {
        if (renewed.Registration > Registration)
        {
            Registration = renewed.Registration;
            _nextSequence = 1;
        }

        _observer = renewed.Observer;
        Version = renewed.Version;
        _socketCount = renewed.SocketCount;
    }

    /// <summary>Lets the gateway deliver the channel's events itself (see <see cref="IChannelLeases"/>); only one in this process can.</summary>
    public void Lease(string channelKey)
    {
        if (_leaseHolder is null && inProcess is IChannelLeases leases)
        {
            leases.Grant(channelKey);
            _leaseHolder = leases;
        }
    }

    /// <summary>Takes the lease back; the gateway no longer delivers on its own when this returns.</summary>
    public void EndLease(string channelKey)
    {
        if (_leaseHolder is { } holder)
        {
            _leaseHolder = null;
            holder.Revoke(channelKey);
        }
    }

    /// <returns>
    /// The gateway's confirmation when one is asked for and the gateway is in another process (one in
    /// this process has the frame when the call returns, and dies with this grain); otherwise null.
    /// </returns>
    public Task? Send(
        string channelKey, byte[] frame, string? exceptSocketId, string? welcomeSocketId, long publishId, bool confirm, WatchlistNotice? watchlist = null)
    {
        var delivery = new ChannelDelivery(channelKey, Registration, _nextSequence++, frame, exceptSocketId, welcomeSocketId, publishId, watchlist);
        if (inProcess is not null)
        {
            _ = inProcess.Deliver(delivery);
            return null;
        }

        if (confirm)
        {
            return _observer.DeliverConfirmed(delivery);
        }

        _ = _observer.Deliver(delivery);
        return null;
    }
}
