using SoketiOrleans.Apps;
using SoketiOrleans.Channels;

namespace SoketiOrleans.Grains.Channels;

/// <summary>
/// Fans a channel's frames out to the gateways that have subscribers: one OneWay message per
/// gateway per frame, never one per socket. Its state is soft; gateways re-assert it.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class ChannelGrain : Grain, IChannelGrain
{
    private readonly Dictionary<string, GatewayStream> _gateways = new(StringComparer.Ordinal);
    private string? _key;
    private int _subscriptionCount;

    private string Key => _key ??= this.GetPrimaryKeyString();

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
            await SubscriptionCountChanged();
        }
    }

    public Task Publish(Publication publication)
    {
        foreach (var stream in _gateways.Values)
        {
            stream.Send(Key, publication.Frame, publication.ExceptSocketId, welcomeSocketId: null);
        }

        return Task.CompletedTask;
    }

    public Task Welcome(string gatewayId, string socketId, byte[] frame)
    {
        if (_gateways.TryGetValue(gatewayId, out var stream))
        {
            stream.Send(Key, frame, exceptSocketId: null, welcomeSocketId: socketId);
        }

        return Task.CompletedTask;
    }

    public Task<int> SubscriptionCount() => Task.FromResult(_subscriptionCount);

    private Task SubscriptionCountChanged()
    {
        // Subscribers make this activation the only copy of who listens where: keep it until they leave.
        DelayDeactivation(_subscriptionCount > 0 ? TimeSpan.MaxValue : TimeSpan.Zero);
        var (appId, channel) = ChannelKey.Parse(Key);
        // '#' channels (server-to-user) are the server's own: GET /channels does not list them.
        return channel.StartsWith('#')
            ? Task.CompletedTask
            : GrainFactory.GetGrain<IAppGrain>(appId).SetSubscriptionCount(channel, _subscriptionCount);
    }
}
