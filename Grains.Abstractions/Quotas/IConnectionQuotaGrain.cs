using SoketiOrleans.Gateways;

namespace SoketiOrleans.Quotas;

/// <summary>
/// One per app with a connection limit, keyed by app id: how many sockets each gateway holds, so
/// admission is exact for the whole cluster. Counts are absolute per gateway, so a gateway can
/// repeat its count after the grain lost it.
/// </summary>
[Alias("so.IConnectionQuotaGrain")]
public interface IConnectionQuotaGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the sockets the gateway holds and admits as many of <paramref name="joining"/> new
    /// ones as the limit leaves room for.
    /// </summary>
    /// <returns>How many of the joining sockets were admitted; they count for the gateway from now on.</returns>
    Task<int> Admit(ConnectionReport report, int joining, int limit);

    /// <summary>The gateway is gone: its connections no longer count.</summary>
    Task Depart(GatewayDeparture departure);
}
