using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Quotas;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateways;

/// <summary>
/// A gateway's answers to <see cref="IGatewayLink"/>, in its own process: what the grains have
/// acknowledged of its state, never what is still on its way to them (a report in flight arrives
/// after the answer and is applied as a change).
/// </summary>
public interface IGatewayState
{
    /// <summary>Null when the gateway has no sockets there. Starts a new delivery stream: the grain asking is a new activation.</summary>
    ChannelReport? Channel(string channelKey);

    UserState? User(string userKey);

    ConnectionReport? Connections(string appId);

    IEnumerable<ChannelShare> Channels(string appId);
}
