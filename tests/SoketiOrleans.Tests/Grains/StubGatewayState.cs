using System.Collections.Concurrent;
using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateways;
using SoketiOrleans.Quotas;
using SoketiOrleans.Users;

namespace SoketiOrleans.Tests.Grains;

/// <summary>
/// What a gateway attached to each test silo answers a rebuilding grain. The silos of a TestCluster
/// share this process, so tests set the answers here, keyed by grain key (unique per test).
/// </summary>
public sealed class StubGatewayState : IGatewayState
{
    public static ConcurrentDictionary<string, ChannelReport> Channels { get; } = new();

    public static ConcurrentDictionary<string, UserState> Users { get; } = new();

    public static ConcurrentDictionary<string, ConnectionReport> Connections { get; } = new();

    public static ConcurrentDictionary<string, ChannelShare[]> Shares { get; } = new();

    public ChannelReport? Channel(string channelKey) => Channels.GetValueOrDefault(channelKey);

    public UserState? User(string userKey) => Users.GetValueOrDefault(userKey);

    ConnectionReport? IGatewayState.Connections(string appId) => Connections.GetValueOrDefault(appId);

    IEnumerable<ChannelShare> IGatewayState.Channels(string appId) => Shares.GetValueOrDefault(appId) ?? [];
}
