using Microsoft.Extensions.Logging;
using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.Reassertion;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Gateways;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>
/// This gateway's sockets in one channel, reported to the channel grain as a whole: the socket
/// count and, in presence channels, each socket's member. A joining socket stays pending, receiving
/// nothing, until the grain has acknowledged a report that includes it and the socket has been
/// sent its <c>subscription_succeeded</c>, so the HTTP API already counts a socket that has been
/// told it is subscribed. Deliveries are put back in the grain's order here.
/// </summary>
public sealed partial class LocalChannel : ReassertedState<ChannelReport, string[]>
{
    private readonly Dictionary<string, PusherSocket> _active = new(StringComparer.Ordinal);
    private Dictionary<string, PusherSocket>? _pending;
    private readonly Dictionary<string, PresenceSocket>? _members;
    private Dictionary<string, (long Version, TaskCompletionSource<bool> Admitted)>? _joining;
    private readonly ReorderBuffer _order = new();
    private Action<ChannelDelivery>? _dispatch;
    private readonly LocalChannelIndex _index;
    private readonly GatewayIdentity _gateway;
    private readonly ICluster _cluster;
    private readonly int _maxMembers;
    private readonly ILogger _logger;
    private readonly Action<WatchlistNotice>? _told;
    private RecentPublications? _recent;
    private long _registration;
    private ChannelReport? _acknowledged;

    /// <summary>The grain lets this gateway deliver the channel's events itself (see <see cref="IChannelLeases"/>).</summary>
    private bool _leased;

    /// <param name="told">For a user's server-to-user channel: hears the watchlist events its sockets are sent.</param>
    internal LocalChannel(string appId, string channel, int maxMembers, LocalChannelIndex index, GatewayIdentity gateway, ICluster cluster,
        Reassertion.Reassertion reassertion, Action<WatchlistNotice>? told, ILogger logger)
        : base(reassertion)
    {
        _told = told;
        AppId = appId;
        Channel = channel;
        Key = ChannelKey.Format(appId, channel);
        _maxMembers = maxMembers;
        _members = SoketiOrleans.Protocol.ChannelName.IsPresence(channel) ? new(StringComparer.Ordinal) : null;
        _index = index;
        _gateway = gateway;
        _cluster = cluster;
        _logger = logger;
    }

    public string Key { get; }

    public string AppId { get; }

    public string Channel { get; }

    public override string Name => $"channel {Key}";

    private int SocketCount => _active.Count + (_pending?.Count ?? 0);

    /// <summary>Made at the first delivery through the grain: a channel leased to this gateway may never get one.</summary>
    private Action<ChannelDelivery> Dispatcher => _dispatch ??= Dispatch;

    private int AcknowledgedCount => _acknowledged?.SocketCount ?? 0;

    protected override bool IsEmpty => SocketCount == 0 && AcknowledgedCount == 0;

    /// <summary>
    /// Adds the socket as pending (with its member, in a presence channel). The task tells, once the
    /// grain has taken a report that includes it, whether it was admitted (a presence channel at its
    /// member limit refuses new users). Null: this instance has retired; take a fresh one.
    /// </summary>
    internal Task<bool>? Join(PusherSocket socket, PresenceSocket? member)
    {
        var admitted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (Gate)
        {
            if (IsRetired)
            {
                return null;
            }

            WhileNotEmpty.Set(ref _pending, socket.Id, socket);
            if (member is not null)
            {
                _members![socket.Id] = member;
            }

            WhileNotEmpty.Set(ref _joining, socket.Id, (Changed(), admitted));
        }

        Schedule();
        return admitted.Task;
    }

    /// <summary>Makes a pending socket a subscriber, its <c>subscription_succeeded</c> first.</summary>
    internal void Activate(PusherSocket socket, byte[] subscriptionSucceeded)
    {
        lock (Gate)
        {
            if (WhileNotEmpty.Remove(ref _pending, socket.Id, out _))
            {
                _active.Add(socket.Id, socket);
                socket.Send(subscriptionSucceeded);
            }
        }
    }

    /// <returns>The version of the state without the socket (see <see cref="Confirmed"/>); 0 when it was not here.</returns>
    internal long Leave(PusherSocket socket)
    {
        long version;
        lock (Gate)
        {
            if (!_active.Remove(socket.Id) && !WhileNotEmpty.Remove(ref _pending, socket.Id, out _))
            {
                return 0;
            }

            _members?.Remove(socket.Id);
            if (WhileNotEmpty.Remove(ref _joining, socket.Id, out var joining))
            {
                joining.Admitted.TrySetResult(false);
            }

            version = Changed();
        }

        Schedule();
        return version;
    }

    /// <summary>Completes once the grain has taken a report as of <paramref name="version"/> (or a later one).</summary>
    internal Task Confirmed(long version) => WhenAcknowledged(version);

    internal void Deliver(ChannelDelivery delivery)
    {
        lock (Gate)
        {
            if (delivery.Registration == _registration)
            {
                _order.Accept(delivery, Dispatcher);
            }
        }
    }

    internal void Grant()
    {
        lock (Gate)
        {
            _leased = !IsRetired;
        }
    }

    internal void Revoke()
    {
        lock (Gate)
        {
            _leased = false;
        }
    }

    /// <summary>
    /// Sends an event to this gateway's subscribers when the grain has leased the channel to it.
    /// False: the event must go through the grain.
    /// </summary>
    internal bool TryDeliverUnderLease(byte[] frame, string? exceptSocketId)
    {
        lock (Gate)
        {
            if (!_leased)
            {
                return false;
            }

            SendToActive(frame, exceptSocketId);
            return true;
        }
    }

    internal void SkipStaleGap(TimeSpan age)
    {
        lock (Gate)
        {
            if (_order.HasGap && _order.SkipGapOlderThan(age, Dispatcher) is var skipped and > 0)
            {
                LogGapSkipped(_logger, Key, skipped);
            }
        }
    }

    /// <summary>
    /// What the grain had acknowledged, for a new activation of it (the old one was lost), on a new
    /// delivery stream: what the old stream still holds back is passed on, its gaps will not fill.
    /// A report on its way meanwhile carries the older registration and only updates the state.
    /// </summary>
    internal ChannelReport? ForNewActivation()
    {
        lock (Gate)
        {
            if (_acknowledged is not { SocketCount: > 0 } acknowledged)
            {
                return null;
            }

            // The new activation knows of no lease: it must order every event until it grants one.
            _leased = false;
            _order.Flush(Dispatcher);
            _registration = _gateway.NextRegistration();
            return _acknowledged = acknowledged with { Registration = _registration };
        }
    }

    /// <summary>This gateway's acknowledged part of the channel, for a rebuilt app index; null when it has none.</summary>
    internal ChannelShare? Share()
    {
        lock (Gate)
        {
            return _acknowledged is { SocketCount: > 0 } acknowledged
                ? new ChannelShare(Channel, acknowledged.SocketCount, acknowledged.Members?.Select(m => m.UserId).Distinct(StringComparer.Ordinal).ToArray() ?? [])
                : null;
        }
    }

    public override LedgerEntry? LedgerEntry()
    {
        lock (Gate)
        {
            return new LedgerEntry(LedgerTarget.Channel, Key, SocketCount, _members?.Values.Select(m => m with { UserInfoJson = null }).ToArray());
        }
    }

    protected override ChannelReport Snapshot(long version)
    {
        var count = SocketCount;
        if (count == 0)
        {
            // The grain forgets a gateway that reports none; one that joins again gets a new lease.
            _leased = false;
        }

        if (count > 0 && AcknowledgedCount == 0)
        {
            // From zero the grain starts a new stream: what is still in flight from an older one is dropped.
            _registration = _gateway.NextRegistration();
            _order.Reset();
        }

        return new ChannelReport(_gateway.Id, _gateway.Observer, _registration, version, count, _members?.Values.ToArray());
    }

    protected override Task<string[]> Send(ChannelReport report) => _cluster.ReportChannel(Key, report, _maxMembers);

    protected override void Acknowledge(ChannelReport report, string[] refused)
    {
        var admitted = report;
        if (refused.Length > 0)
        {
            var turnedAway = refused.ToHashSet(StringComparer.Ordinal);
            admitted = report with
            {
                SocketCount = report.SocketCount - turnedAway.Count,
                Members = report.Members?.Where(m => !turnedAway.Contains(m.SocketId)).ToArray(),
            };
            foreach (var socketId in refused)
            {
                WhileNotEmpty.Remove(ref _pending, socketId, out _);
                _members?.Remove(socketId);
                if (WhileNotEmpty.Remove(ref _joining, socketId, out var joining))
                {
                    joining.Admitted.TrySetResult(false);
                }
            }

            Changed();
        }

        _acknowledged = admitted;
        foreach (var (socketId, joining) in _joining?.Where(j => j.Value.Version <= report.Version).ToArray() ?? [])
        {
            WhileNotEmpty.Remove(ref _joining, socketId, out _);
            joining.Admitted.TrySetResult(true);
        }
    }

    protected override void Acknowledged(string[] refused)
    {
        if (refused.Length > 0)
        {
            Schedule(); // the ledger hears that the refused sockets are not here
        }
    }

    protected override void Retired() => _index.Remove(this);

    private void Dispatch(ChannelDelivery delivery)
    {
        if (delivery.PublishId != 0 && !(_recent ??= new RecentPublications()).Add(delivery.PublishId))
        {
            return; // a retried publish this channel already delivered
        }

        if (delivery.WelcomeSocketId is { } welcomed)
        {
            if (WhileNotEmpty.Remove(ref _pending, welcomed, out var socket))
            {
                _active.Add(welcomed, socket);
            }
            else if (!_active.TryGetValue(welcomed, out socket))
            {
                return; // left before its welcome arrived
            }

            socket.Send(delivery.Frame);
            Told(delivery);
            return;
        }

        Told(delivery);
        SendToActive(delivery.Frame, delivery.ExceptSocketId);
    }

    private void SendToActive(byte[] frame, string? exceptSocketId)
    {
        foreach (var socket in _active.Values)
        {
            if (exceptSocketId is null || !string.Equals(socket.Id, exceptSocketId, StringComparison.Ordinal))
            {
                socket.Send(frame);
            }
        }
    }

    private void Told(ChannelDelivery delivery)
    {
        if (delivery.Watchlist is { } notice)
        {
            _told?.Invoke(notice);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelKey}: {Skipped} deliveries never arrived; skipped them")]
    private static partial void LogGapSkipped(ILogger logger, string channelKey, long skipped);
}
