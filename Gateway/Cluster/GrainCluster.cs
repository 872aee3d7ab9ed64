using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateways;
using SoketiOrleans.Hosting;
using SoketiOrleans.Quotas;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateway.Cluster;

/// <summary>The seam over Orleans grains, through a co-hosted silo's or an Orleans client's <see cref="IGrainFactory"/>.</summary>
internal sealed class GrainCluster(IGrainFactory grains) : ICluster
{
    public IGatewayObserver CreateObserver(IGatewayObserver gateway) => grains.CreateObjectReference<IGatewayObserver>(gateway);

    public void DeleteObserver(IGatewayObserver observer) => grains.DeleteObjectReference<IGatewayObserver>(observer);

    public Task<string[]> ReportChannel(string channelKey, ChannelReport report, int maxMembers) =>
        Channel(channelKey).Report(report, maxMembers);

    public Task Publish(string channelKey, Publication publication) => Channel(channelKey).Publish(publication);

    public Task Welcome(string channelKey, string gatewayId, string socketId, byte[]? frame) =>
        Channel(channelKey).Welcome(gatewayId, socketId, frame);

    public Task<int> SubscriptionCount(string channelKey) => Channel(channelKey).SubscriptionCount();

    public Task<int> UserCount(string channelKey) => Channel(channelKey).UserCount();

    public Task<string[]> UserIds(string channelKey) => Channel(channelKey).UserIds();

    public Task<CachedEvent?> CachedEvent(string channelKey) => Channel(channelKey).CachedEvent();

    public Task<ChannelSummary[]> Channels(string appId, string? prefix) => grains.Grain<IAppGrain>(appId).Channels(prefix);

    public Task ReportUser(string userKey, UserReport report) => grains.Grain<IUserGrain>(userKey).Report(report);

    public Task TerminateUser(string userKey) => grains.Grain<IUserGrain>(userKey).Terminate();

    public Task<int> AdmitConnections(string appId, ConnectionReport report, int joining, int limit) =>
        grains.Grain<IConnectionQuotaGrain>(appId).Admit(report, joining, limit);

    public Task<RateLease> LeaseTokens(string rateLimitKey, int wanted, int limit) =>
        grains.Grain<IRateLimitGrain>(rateLimitKey).Lease(wanted, limit);

    public Task<LedgerAnswer> RecordLedger(string gatewayId, LedgerReport report) =>
        grains.Grain<IGatewayLedgerGrain>(gatewayId).Record(report);

    public async Task RenewInRosters(string gatewayId, IGatewayObserver gateway)
    {
        var silos = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        await Task.WhenAll(silos.Keys.Select(silo => grains.GetGrain<IGatewayRosterGrain>(silo.ToParsableString()).Renew(gatewayId, gateway)));
    }

    private IChannelGrain Channel(string channelKey) => grains.Grain<IChannelGrain>(channelKey);
}
