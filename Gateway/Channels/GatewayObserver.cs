using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Sockets;
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
