using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Gateways;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>Receives the grains' pushes: frames for local channels, and orders to close local sockets.</summary>
public sealed class GatewayObserver(LocalChannelIndex channels, SocketRegistry sockets) : IGatewayObserver
{
    public Task Deliver(ChannelDelivery delivery)
    {
        channels.Deliver(delivery);
        return Task.CompletedTask;
    }

    // The frame is in this process once the call arrives: that is all the grain waits for.
    public Task DeliverConfirmed(ChannelDelivery delivery) => Deliver(delivery);

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
}
