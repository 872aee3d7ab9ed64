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

    /// <summary>Sends each listed socket this gateway has <c>pusher:error</c> with the code, then closes it with the same code.</summary>
    [OneWay]
    Task CloseSockets(string[] socketIds, int code, string message);
}
