using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Gateways;
using SoketiOrleans.Protocol;
using SoketiOrleans.Quotas;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>Receives the grains' pushes: frames for local channels, and orders to close local sockets.</summary>
public sealed class GatewayObserver(LocalChannelIndex channels, SocketRegistry sockets, IGatewayState state) : IGatewayObserver, IChannelLeases
{
    public Task Deliver(ChannelDelivery delivery)
    {
        channels.Deliver(delivery);
        return Task.CompletedTask;
    }

    // The frame is in this process once the call arrives: that is all the grain waits for.
    public Task DeliverConfirmed(ChannelDelivery delivery) => Deliver(delivery);

    public void Grant(string channelKey) => channels.Find(channelKey)?.Grant();

    public void Revoke(string channelKey) => channels.Find(channelKey)?.Revoke();

    public Task CloseSockets(string[] socketIds, int code, string message)
    {
        var error = PusherFrame.Error(code, message);
        foreach (var socketId in socketIds)
        {
            if (sockets.TryGet(socketId, out var socket))
            {
                socket.Send(error);
                socket.Close(code, message);
            }
        }

        return Task.CompletedTask;
    }

    public Task<ChannelReport[]> Channel(string channelKey) => Answer(state.Channel(channelKey));

    public Task<UserState[]> User(string userKey) => Answer(state.User(userKey));

    public Task<ConnectionReport[]> Connections(string appId) => Answer(state.Connections(appId));

    public Task<ChannelShare[]> Channels(string appId) => Task.FromResult(state.Channels(appId).ToArray());

    private static Task<T[]> Answer<T>(T? answer) where T : class => Task.FromResult(answer is null ? [] : new[] { answer });
}
