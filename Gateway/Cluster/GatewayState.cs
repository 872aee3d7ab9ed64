using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Quotas;
using SoketiOrleans.Gateway.Users;
using SoketiOrleans.Gateways;
using SoketiOrleans.Quotas;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateway.Cluster;

/// <summary>This gateway's answers to grains that are rebuilding (see <see cref="IGatewayState"/>).</summary>
internal sealed class GatewayState(LocalChannelIndex channels, LocalUsers users, ConnectionQuotas quotas) : IGatewayState
{
    public ChannelReport? Channel(string channelKey) => channels.Find(channelKey)?.ForNewActivation();

    public UserState? User(string userKey) => users.ForNewActivation(userKey);

    public ConnectionReport? Connections(string appId) => quotas.ForNewActivation(appId);

    // '#' channels (server-to-user) are the server's own: the app index does not list them.
    public IEnumerable<ChannelShare> Channels(string appId) =>
        channels.OfApp(appId).Where(c => !c.Channel.StartsWith('#')).Select(c => c.Share()).OfType<ChannelShare>();
}
