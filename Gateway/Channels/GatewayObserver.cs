using SoketiOrleans.Channels;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>Receives the grains' pushes and hands each to the local channel it is for.</summary>
public sealed class GatewayObserver(LocalChannelIndex channels) : IGatewayObserver
{
    public Task Deliver(ChannelDelivery delivery)
    {
        channels.Deliver(delivery);
        return Task.CompletedTask;
    }
}
