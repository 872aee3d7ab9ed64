using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Quotas;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateways;

/// <summary>
/// Implemented once per gateway process. Grains push pre-serialized frames through it; the
/// gateway writes them to its local sockets. A gateway outside any silo also answers through it
/// what it holds (see <see cref="IGatewayLink"/>).
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

    // What a rebuilding grain asks a gateway that is an Orleans client (a co-hosted one is asked
    // through its silo's IGatewayLink): the same answers, each an empty or one-element array.

    [ResponseTimeout("00:00:03")]
    Task<ChannelReport[]> Channel(string channelKey);

    [ResponseTimeout("00:00:03")]
    Task<UserState[]> User(string userKey);

    [ResponseTimeout("00:00:03")]
    Task<ConnectionReport[]> Connections(string appId);

    [ResponseTimeout("00:00:03")]
    Task<ChannelShare[]> Channels(string appId);
}
