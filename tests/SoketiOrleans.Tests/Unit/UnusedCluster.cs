using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateways;
using SoketiOrleans.Quotas;
using SoketiOrleans.Users;

namespace SoketiOrleans.Tests.Unit;

/// <summary>
/// A cluster seam where every call fails: a unit test's fake overrides only the grain calls the
/// code under test should make, so any other call shows up as a failure.
/// </summary>
internal abstract class UnusedCluster : ICluster
{
    public virtual IGatewayObserver CreateObserver(IGatewayObserver gateway) => throw new NotSupportedException();

    public virtual void DeleteObserver(IGatewayObserver observer) => throw new NotSupportedException();

    public virtual Task<string[]> ReportChannel(string channelKey, ChannelReport report, int maxMembers) => throw new NotSupportedException();

    public virtual Task Publish(string channelKey, Publication publication) => throw new NotSupportedException();

    public virtual Task Welcome(string channelKey, string gatewayId, string socketId, byte[]? frame) => throw new NotSupportedException();

    public virtual Task<int> SubscriptionCount(string channelKey) => throw new NotSupportedException();

    public virtual Task<int> UserCount(string channelKey) => throw new NotSupportedException();

    public virtual Task<string[]> UserIds(string channelKey) => throw new NotSupportedException();

    public virtual Task<CachedEvent?> CachedEvent(string channelKey) => throw new NotSupportedException();

    public virtual Task<ChannelSummary[]> Channels(string appId, string? prefix) => throw new NotSupportedException();

    public virtual Task ReportUser(string userKey, UserReport report) => throw new NotSupportedException();

    public virtual Task TerminateUser(string userKey) => throw new NotSupportedException();

    public virtual Task<int> AdmitConnections(string appId, ConnectionReport report, int joining, int limit) => throw new NotSupportedException();

    public virtual Task<RateLease> LeaseTokens(string rateLimitKey, int wanted, int limit) => throw new NotSupportedException();

    public virtual Task<LedgerAnswer> RecordLedger(string gatewayId, LedgerReport report) => throw new NotSupportedException();

    public virtual Task RenewInRosters(string gatewayId, IGatewayObserver gateway) => throw new NotSupportedException();
}
