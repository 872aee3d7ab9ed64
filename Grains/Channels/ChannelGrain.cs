using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Protocol;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Channels;

/// <summary>
/// Fans a channel's frames out to the gateways that have subscribers: one OneWay message per
/// gateway per frame, never one per socket. Its state is soft; gateways re-assert it. A cache
/// channel also keeps its last event here, once for the cluster. Being the one activation that
/// sees the cluster-wide count, it is also where occupied/vacated webhooks are decided, once.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class ChannelGrain(IWebhookEvents webhooks) : Grain, IChannelGrain
{
    private readonly Dictionary<string, GatewayStream> _gateways = new(StringComparer.Ordinal);
    private string? _key;
    private (string AppId, string Channel)? _parts;
    private int _subscriptionCount;
    private Cache? _cached;

    private string Key => _key ??= this.GetPrimaryKeyString();

    // Parsed once: counts change, and webhooks are raised, on every join and leave.
    private (string AppId, string Channel) Parts => _parts ??= ChannelKey.Parse(Key);

    private string AppId => Parts.AppId;

    private string Channel => Parts.Channel;

    public async Task Register(GatewayRegistration registration)
    {
        var previous = _subscriptionCount;
        if (_gateways.TryGetValue(registration.GatewayId, out var stream))
        {
            if (registration.Registration < stream.Registration)
            {
                return; // a late call from a registration the gateway has already replaced
            }

            _subscriptionCount -= stream.SocketCount;
            if (registration.SocketCount == 0)
            {
                _gateways.Remove(registration.GatewayId);
            }
            else
            {
                stream.Renew(registration);
                _subscriptionCount += stream.SocketCount;
            }
        }
        else if (registration.SocketCount > 0)
        {
            _gateways.Add(registration.GatewayId, new GatewayStream(registration));
            _subscriptionCount += registration.SocketCount;
        }

        if (_subscriptionCount != previous)
        {
            RaiseWebhooks(previous);
            await SubscriptionCountChanged();
        }
    }

    public Task Publish(Publication publication)
    {
        foreach (var stream in _gateways.Values)
        {
            stream.Send(Key, publication.Frame, publication.ExceptSocketId, welcomeSocketId: null);
        }

        if (publication.CacheFor is { } ttl)
        {
            _cached = new Cache(publication.Frame, DateTime.UtcNow + ttl);
            KeepAlive();
        }

        return Task.CompletedTask;
    }

    public Task Welcome(string gatewayId, string socketId, byte[] frame)
    {
        if (_gateways.TryGetValue(gatewayId, out var stream))
        {
            stream.Send(Key, frame, exceptSocketId: null, welcomeSocketId: socketId);
            if (CacheChannels.IsCache(Channel))
            {
                stream.Send(Key, CachedFrame(), exceptSocketId: null, welcomeSocketId: socketId);
            }
        }

        return Task.CompletedTask;
    }

    public Task<int> SubscriptionCount() => Task.FromResult(_subscriptionCount);

    public Task<CachedEvent?> CachedEvent()
    {
        var left = _cached is { } cached ? cached.ExpiresAt - DateTime.UtcNow : TimeSpan.Zero;
        return Task.FromResult(left > TimeSpan.Zero ? new CachedEvent(_cached!.Frame, left) : null);
    }

    /// <summary>The unexpired cached event, or <c>pusher:cache_miss</c>.</summary>
    private byte[] CachedFrame()
    {
        if (_cached is { } cached && cached.ExpiresAt > DateTime.UtcNow)
        {
            return cached.Frame;
        }

        _cached = null;
        Raise(WebhookEvent.CacheMiss(Channel));
        return PusherFrame.Json(Channel, static (w, channel) =>
        {
            w.WriteStartObject();
            w.WriteString("event"u8, PusherEvents.CacheMiss);
            w.WriteString("channel"u8, channel);
            w.WriteEndObject();
        });
    }

    private void RaiseWebhooks(int previous)
    {
        if (previous == 0)
        {
            Raise(WebhookEvent.ChannelOccupied(Channel));
        }

        // Pusher counts presence channels by users (member events), not subscriptions. Counts change
        // often, so the event is only built when a webhook takes it.
        if (_subscriptionCount > 0 && !Channel.StartsWith("presence-", StringComparison.Ordinal)
            && webhooks.Wants(AppId, WebhookEventNames.SubscriptionCount))
        {
            Raise(WebhookEvent.SubscriptionCountChanged(Channel, _subscriptionCount));
        }

        if (_subscriptionCount == 0)
        {
            Raise(WebhookEvent.ChannelVacated(Channel));
        }
    }

    private void Raise(WebhookEvent webhookEvent)
    {
        // '#' channels (server-to-user) are the server's own, not the app's.
        if (!Channel.StartsWith('#'))
        {
            webhooks.Raise(AppId, webhookEvent);
        }
    }

    private Task SubscriptionCountChanged()
    {
        KeepAlive();
        var (appId, channel) = Parts;
        // '#' channels (server-to-user) are the server's own: GET /channels does not list them.
        return channel.StartsWith('#')
            ? Task.CompletedTask
            : GrainFactory.GetGrain<IAppGrain>(appId).SetSubscriptionCount(channel, _subscriptionCount);
    }

    /// <summary>
    /// Subscribers make this activation the only copy of who listens where, and a cached event
    /// lives only here: keep the activation while either exists.
    /// </summary>
    private void KeepAlive()
    {
        var cacheLeft = _cached is { } cached ? cached.ExpiresAt - DateTime.UtcNow : TimeSpan.Zero;
        DelayDeactivation(_subscriptionCount > 0 ? TimeSpan.MaxValue : cacheLeft > TimeSpan.Zero ? cacheLeft : TimeSpan.Zero);
    }

    private sealed record Cache(byte[] Frame, DateTime ExpiresAt);
}
