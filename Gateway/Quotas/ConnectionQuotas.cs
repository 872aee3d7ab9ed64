using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Quotas;

namespace SoketiOrleans.Gateway.Quotas;

/// <summary>
/// Admits connections of apps with <c>maxConnections</c> against the count of the whole cluster;
/// apps without a limit cost nothing. Every 30 seconds each gateway repeats its counts, which
/// refills a quota grain re-activated after its silo died and keeps this gateway's share from
/// expiring (<c>ConnectionCounts.Expiry</c>, 90 s).
/// </summary>
internal sealed class ConnectionQuotas(IGrainFactory grains, GatewayIdentity gateway, ILogger<ConnectionQuotas> logger) : BackgroundService
{
    public const string OverQuotaMessage = "The current concurrent connections quota has been reached.";
    private static readonly TimeSpan ReassertEvery = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, AppConnectionQuota> _apps = new(StringComparer.Ordinal);

    /// <summary>soketi reads <c>maxConnections</c> with <c>parseInt(…) || -1</c>: 0 means unlimited there, so here too.</summary>
    public static bool Limits(App app) => app.MaxConnections > 0;

    /// <returns>
    /// A slot to dispose when the socket closes, or null when the app is at its limit. Faults when
    /// the cluster could not be asked.
    /// </returns>
    public async Task<ConnectionSlot?> TryAdmit(App app)
    {
        if (!Limits(app))
        {
            return ConnectionSlot.Unlimited;
        }

        var quota = _apps.GetOrAdd(app.Id, static (id, s) =>
            new AppConnectionQuota(id, s.grains.GetGrain<IConnectionQuotaGrain>(id), s.gateway.Id, s.limit, s.logger),
            (grains, gateway, limit: app.MaxConnections, logger));
        return await quota.Join() ? new ConnectionSlot(quota) : null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ReassertEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var quota in _apps.Values)
                {
                    quota.Reassert();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
