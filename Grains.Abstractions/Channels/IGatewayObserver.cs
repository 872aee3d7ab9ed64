namespace SoketiOrleans.Channels;

/// <summary>
/// Implemented once per gateway process. Grains push pre-serialized frames through it; the
/// gateway writes them to its local sockets.
/// </summary>
[Alias("so.IGatewayObserver")]
public interface IGatewayObserver : IGrainObserver
{
    // OneWay: a slow or dead gateway must never hold up a publish on the channel grain.
    [OneWay]
    Task Deliver(ChannelDelivery delivery);
}
