using SoketiOrleans.Channels;

namespace SoketiOrleans.Gateways;

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

    /// <summary>
    /// The same, answered once the gateway has the frame: a grain waits for this before it
    /// acknowledges what must not be lost if its own silo dies right after.
    /// </summary>
    [ResponseTimeout("00:00:05")]
    Task DeliverConfirmed(ChannelDelivery delivery);

    /// <summary>Sends each listed socket this gateway has <c>pusher:error</c> with the code, then closes it with the same code.</summary>
    [OneWay]
    Task CloseSockets(string[] socketIds, int code, string message);
}
