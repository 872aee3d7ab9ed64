using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Quotas;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateways;

/// <summary>
/// One per silo: how a grain asks the gateways attached to that silo what they hold for it. A
/// grain activated after its silo died asks every live silo before it serves, so it is rebuilt
/// from the gateways' own truth rather than from whatever reaches it first.
/// </summary>
[Alias("so.IGatewayLink")]
public interface IGatewayLink : Orleans.Services.IGrainService
{
    [ResponseTimeout("00:00:03")]
    Task<ChannelReport[]> Channel(string channelKey);

    [ResponseTimeout("00:00:03")]
    Task<UserState[]> User(string userKey);

    [ResponseTimeout("00:00:03")]
    Task<ConnectionReport[]> Connections(string appId);

    [ResponseTimeout("00:00:03")]
    Task<ChannelShare[]> Channels(string appId);
}
