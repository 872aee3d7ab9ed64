using Microsoft.Extensions.Logging;
using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateways;
using SoketiOrleans.Grains.Gateways;
using SoketiOrleans.Protocol;
using SoketiOrleans.Users;
using SoketiOrleans.Webhooks;
using SoketiOrleans.Hosting;

namespace SoketiOrleans.Grains.Channels;

/// <summary>
/// Fans a channel's frames out to the gateways that have subscribers: one message per gateway per
/// frame, never one per socket. Keeps the channel's presence members and, for cache channels, the
/// last event, once for the cluster; being the one place that sees every change, it raises the
/// channel's webhooks once. Its state is soft: a new activation asks every live gateway before it
/// serves, and a gateway's ledger tells it what left when a gateway died.
/// Reentrant: it awaits only confirmations and the app index, after its state has changed.
/// </summary>
[Reentrant]
[CollectionAgeLimit(Minutes = 2)]
public sealed partial class ChannelGrain(IWebhookEvents webhooks, LiveGateways gateways, ICachedEvents cachedEvents, ILogger<ChannelGrain> logger)
    : Grain, IChannelGrain, IDropsGoneGateways
{
    private ChannelRoster _roster = null!;
    private CoalescedCall _index = null!;
    private string _key = "";
    private string _appId = "";
    private string _channel = "";
    private Cache? _cached;
    private IGrainTimer? _goneGatewayCheck;

    private bool IsPresence => ChannelName.IsPresence(_channel);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = this.GetPrimaryKeyString();
        (_appId, _channel) = ChannelKey.Parse(_key);
        _roster = new ChannelRoster(IsPresence, gateways.InProcess);
        _index = new CoalescedCall(UpdateAppIndex);

        foreach (var report in await gateways.Ask(link => link.Channel(_key), gateway => gateway.Channel(_key)))
        {
            _roster.Restore(report);
            _goneGatewayCheck = gateways.WatchIfElsewhere(this, _goneGatewayCheck, report.GatewayId);
        }

        if (CacheChannels.IsCache(_channel) && await cachedEvents.Load(_key) is { } kept)
        {
            _cached = new Cache(kept.Frame, DateTime.UtcNow + kept.TimeToLive);
        }

        if (_roster.SubscriptionCount > 0)
        {
            KeepAlive();
            _ = _index.Run();
        }
    }

    public async Task<string[]> Report(ChannelReport report, int maxMembers)
    {
        if (_roster.Gateway(report.GatewayId) is null)
        {
            // Before the newcomer's sockets can be welcomed: from here on every event is ordered here.
            foreach (var share in _roster.Gateways)
            {
                share.EndLease(_key);
            }

            _goneGatewayCheck = gateways.WatchIfElsewhere(this, _goneGatewayCheck, report.GatewayId);
        }

        var change = _roster.Apply(report, maxMembers);
        LeaseToSoleGateway();
        await Announce(change, report.GatewayId);
        return change.Refused;
    }

    /// <summary>
    /// A channel with subscribers on one gateway only, in this process, needs no grain between its
    /// publishers and subscribers. Not a cache channel: its last event must be kept here.
    /// </summary>
    private void LeaseToSoleGateway()
    {
        if (_roster.GatewayCount == 1 && !CacheChannels.IsCache(_channel))
        {
            _roster.Gateways.First().Lease(_key);
        }
    }

    public Task Depart(GatewayDeparture departure) => Announce(_roster.Depart(departure), departure.GatewayId);

    public Task Publish(Publication publication)
    {
        var confirmations = Broadcast(publication.Frame, publication.ExceptSocketId, publication.PublishId, publication.Confirmed, publication.Watchlist);
        if (publication.CacheFor is { } ttl)
        {
            _cached = new Cache(publication.Frame, DateTime.UtcNow + ttl);
            KeepAlive();
            Add(ref confirmations, cachedEvents.Save(_key, publication.Frame, ttl));
        }

        return Confirmed(confirmations);
    }

    public Task Welcome(string gatewayId, string socketId, byte[]? frame, WatchlistNotice? watchlist = null)
    {
        if (_roster.Gateway(gatewayId) is not { } share)
        {
            return Task.CompletedTask;
        }

        List<Task>? confirmations = null;
        Welcome(ref confirmations, share, socketId, frame ?? PresenceFrames.SubscriptionSucceeded(_channel, _roster.Members.Snapshot), watchlist);
        return Confirmed(confirmations);
    }

    public Task<int> SubscriptionCount() => Task.FromResult(_roster.SubscriptionCount);

    public Task<int> UserCount() => Task.FromResult(_roster.Members.Count);

    public Task<string[]> UserIds() => Task.FromResult(_roster.Members.Snapshot.Select(m => m.Key).ToArray());

    public Task<CachedEvent?> CachedEvent()
    {
        var left = _cached is { } cached ? cached.ExpiresAt - DateTime.UtcNow : TimeSpan.Zero;
        return Task.FromResult(left > TimeSpan.Zero ? new CachedEvent(_cached!.Frame, left) : null);
    }

    /// <summary>
    /// Sends what a change means to subscribers and webhooks, in the order a client expects:
    /// occupied first, vacated last, and each new presence socket's snapshot after the member
    /// events it already includes. Answers once gateways elsewhere have the frames.
    /// </summary>
    private async Task Announce(RosterChange change, string gatewayId)
    {
        if (!change.CountsChanged && change.Welcomed.Count == 0)
        {
            return;
        }

        if (change.CountBefore == 0 && change.CountAfter > 0)
        {
            Raise(WebhookEvent.ChannelOccupied(_channel));
        }

        List<Task>? confirmations = null;
        foreach (var (userId, socketId) in change.Removed)
        {
            AddAll(ref confirmations, Broadcast(PresenceFrames.MemberRemoved(_channel, userId), socketId, 0, confirm: true));
            Raise(WebhookEvent.MemberRemoved(_channel, userId));
        }

        foreach (var (userId, infoJson, socketId) in change.Added)
        {
            AddAll(ref confirmations, Broadcast(PresenceFrames.MemberAdded(_channel, userId, infoJson), socketId, 0, confirm: true));
            Raise(WebhookEvent.MemberAdded(_channel, userId));
        }

        if (change.Welcomed.Count > 0 && _roster.Gateway(gatewayId) is { } share)
        {
            var snapshot = PresenceFrames.SubscriptionSucceeded(_channel, _roster.Members.Snapshot);
            foreach (var socketId in change.Welcomed)
            {
                Welcome(ref confirmations, share, socketId, snapshot);
            }
        }

        RaiseCountWebhooks(change);
        if (!change.CountsChanged)
        {
            await Confirmed(confirmations);
            return;
        }

        KeepAlive();
        await Task.WhenAll(Confirmed(confirmations), _index.Run());
    }

    private void RaiseCountWebhooks(RosterChange change)
    {
        // Pusher counts presence channels by users (member events), not subscriptions. Counts change
        // often, so the event is only built when a webhook takes it.
        if (change.CountAfter > 0 && change.CountAfter != change.CountBefore && !IsPresence
            && webhooks.Wants(_appId, WebhookEventNames.SubscriptionCount))
        {
            Raise(WebhookEvent.SubscriptionCountChanged(_channel, change.CountAfter));
        }

        if (change.CountAfter == 0 && change.CountBefore > 0)
        {
            Raise(WebhookEvent.ChannelVacated(_channel));
        }
    }

    /// <summary>The frame that makes a socket a subscriber; on a cache channel, the cached event (or a miss) right after it.</summary>
    private void Welcome(ref List<Task>? confirmations, GatewayShare share, string socketId, byte[] frame, WatchlistNotice? watchlist = null)
    {
        Add(ref confirmations, share.Send(_key, frame, null, socketId, 0, confirm: true, watchlist));
        if (CacheChannels.IsCache(_channel))
        {
            Add(ref confirmations, share.Send(_key, CachedFrame(), null, socketId, 0, confirm: true));
        }
    }

    private List<Task>? Broadcast(byte[] frame, string? exceptSocketId, long publishId, bool confirm, WatchlistNotice? watchlist = null)
    {
        List<Task>? confirmations = null;
        foreach (var share in _roster.Gateways)
        {
            Add(ref confirmations, share.Send(_key, frame, exceptSocketId, null, publishId, confirm, watchlist));
        }

        return confirmations;
    }

    /// <summary>
    /// Waits for the gateways' confirmations. A gateway that cannot confirm is dead or cut off; the
    /// frame is still on its way to a live one, so this never fails the caller.
    /// </summary>
    private async Task Confirmed(List<Task>? confirmations)
    {
        if (confirmations is null)
        {
            return;
        }

        try
        {
            await Task.WhenAll(confirmations);
        }
        catch (Exception e)
        {
            LogUnconfirmed(logger, e, _key);
        }
    }

    /// <summary>A gateway whose silo the membership declared dead leaves, in case its ledger could not say so.</summary>
    Task IDropsGoneGateways.DropGoneGateways(CancellationToken cancellationToken)
    {
        var gone = _roster.Gateways.Where(g => gateways.IsGone(g.GatewayId)).ToArray();
        return Task.WhenAll(gone.Select(share => Announce(_roster.Remove(share), share.GatewayId)));
    }

    /// <summary>The unexpired cached event, or <c>pusher:cache_miss</c>.</summary>
    private byte[] CachedFrame()
    {
        if (_cached is { } cached && cached.ExpiresAt > DateTime.UtcNow)
        {
            return cached.Frame;
        }

        _cached = null;
        Raise(WebhookEvent.CacheMiss(_channel));
        return PusherFrame.Json(_channel, static (w, channel) =>
        {
            w.WriteStartObject();
            w.WriteString("event"u8, PusherEvents.CacheMiss);
            w.WriteString("channel"u8, channel);
            w.WriteEndObject();
        });
    }

    private void Raise(WebhookEvent webhookEvent)
    {
        // '#' channels (server-to-user) are the server's own, not the app's.
        if (!_channel.StartsWith('#'))
        {
            webhooks.Raise(_appId, webhookEvent);
        }
    }

    private async Task UpdateAppIndex()
    {
        // '#' channels (server-to-user) are the server's own: GET /channels does not list them.
        if (_channel.StartsWith('#'))
        {
            return;
        }

        try
        {
            await GrainFactory.Grain<IAppGrain>(_appId).SetChannel(_channel, _roster.SubscriptionCount, _roster.Members.Count);
        }
        catch (Exception e)
        {
            // A new app grain activation asks the gateways for its counts, so nothing is lost for good.
            LogIndexFailed(logger, e, _key);
        }
    }

    /// <summary>
    /// Subscribers make this activation the only copy of who listens where, and a cached event
    /// lives only here: keep the activation while either exists.
    /// </summary>
    private void KeepAlive()
    {
        var cacheLeft = _cached is { } cached ? cached.ExpiresAt - DateTime.UtcNow : TimeSpan.Zero;
        DelayDeactivation(_roster.SubscriptionCount > 0 ? TimeSpan.MaxValue : cacheLeft > TimeSpan.Zero ? cacheLeft : TimeSpan.Zero);
    }

    private static void Add(ref List<Task>? tasks, Task? task)
    {
        // A task already done (the activation-only cache store's save) needs no list to be waited for.
        if (task is { IsCompletedSuccessfully: false })
        {
            (tasks ??= []).Add(task);
        }
    }

    private static void AddAll(ref List<Task>? tasks, List<Task>? more)
    {
        if (more is not null)
        {
            (tasks ??= []).AddRange(more);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel {ChannelKey}: a gateway did not confirm a delivery")]
    private static partial void LogUnconfirmed(ILogger logger, Exception exception, string channelKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelKey}: updating the app's channel index failed")]
    private static partial void LogIndexFailed(ILogger logger, Exception exception, string channelKey);

    private sealed record Cache(byte[] Frame, DateTime ExpiresAt);
}
