using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateways;
using SoketiOrleans.Quotas;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateway.Cluster;

/// <summary>
/// The gateway's one seam to the cluster: everything it asks of grains goes through here, the way
/// SignalR's lifetime manager hides where fan-out happens. Channel, user and app keys are the
/// grains' keys (<see cref="ChannelKey"/>, <see cref="UserKey"/>, app id).
/// </summary>
public interface ICluster
{
    IGatewayObserver CreateObserver(IGatewayObserver gateway);

    void DeleteObserver(IGatewayObserver observer);

    Task<string[]> ReportChannel(string channelKey, ChannelReport report, int maxMembers);

    Task Publish(string channelKey, Publication publication);

    Task Welcome(string channelKey, string gatewayId, string socketId, byte[]? frame);

    Task<int> SubscriptionCount(string channelKey);

    Task<int> UserCount(string channelKey);

    Task<string[]> UserIds(string channelKey);

    Task<CachedEvent?> CachedEvent(string channelKey);

    Task<ChannelSummary[]> Channels(string appId, string? prefix);

    Task ReportUser(string userKey, UserReport report);

    Task TerminateUser(string userKey);

    Task<int> AdmitConnections(string appId, ConnectionReport report, int joining, int limit);

    Task<RateLease> LeaseTokens(string rateLimitKey, int wanted, int limit);

    Task<LedgerAnswer> RecordLedger(string gatewayId, LedgerReport report);

    /// <summary>Puts a gateway that is an Orleans client in every active silo's roster (see <see cref="IGatewayRosterGrain"/>).</summary>
    Task RenewInRosters(string gatewayId, IGatewayObserver gateway);
}
