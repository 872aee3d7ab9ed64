namespace SoketiOrleans.Quotas;

/// <summary>
/// One per app with a connection limit, keyed by app id: how many sockets each gateway holds, so
/// admission is exact for the whole cluster. Counts are absolute per gateway, so a gateway can
/// repeat its count after the grain lost it; a gateway that stops reporting expires.
/// </summary>
[Alias("so.IConnectionQuotaGrain")]
public interface IConnectionQuotaGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records that the gateway holds <paramref name="held"/> sockets and admits as many of
    /// <paramref name="joining"/> new ones as the limit leaves room for.
    /// </summary>
    /// <returns>How many of the joining sockets were admitted; they count for the gateway from now on.</returns>
    Task<int> Admit(string gatewayId, int held, int joining, int limit);
}
