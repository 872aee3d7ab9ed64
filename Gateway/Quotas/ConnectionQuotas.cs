using System.Collections.Concurrent;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Quotas;

namespace SoketiOrleans.Gateway.Quotas;

/// <summary>
/// Admits connections of apps with <c>maxConnections</c> against the count of the whole cluster;
/// apps without a limit cost nothing.
/// </summary>
internal sealed class ConnectionQuotas(ICluster cluster, GatewayIdentity gateway, Reassertion.Reassertion reassertion)
{
    public const string OverQuotaMessage = "The current concurrent connections quota has been reached.";

    /// <summary>How long a connect waits for the quota grain (it is retried meanwhile).</summary>
    public static readonly TimeSpan AdmissionTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, AppConnectionQuota> _apps = new(StringComparer.Ordinal);

    /// <summary>soketi reads <c>maxConnections</c> with <c>parseInt(…) || -1</c>: 0 means unlimited there, so here too.</summary>
    public static bool Limits(App app) => app.MaxConnections > 0;

    /// <returns>
    /// A slot to dispose when the socket closes, or null when the app is at its limit. Throws when
    /// the cluster could not be asked in time.
    /// </returns>
    public async Task<ConnectionSlot?> TryAdmit(App app)
    {
        if (!Limits(app))
        {
            return ConnectionSlot.Unlimited;
        }

        var quota = _apps.GetOrAdd(app.Id, static (id, s) => new AppConnectionQuota(id, s.limit, s.gateway, s.cluster, s.reassertion),
            (gateway, cluster, reassertion, limit: app.MaxConnections));
        return await quota.Join(AdmissionTimeout) ? new ConnectionSlot(quota) : null;
    }

    public ConnectionReport? ForNewActivation(string appId) => _apps.GetValueOrDefault(appId)?.ForNewActivation();
}
