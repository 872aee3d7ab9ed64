namespace SoketiOrleans.Gateways;

/// <summary>
/// One per silo, living in it (keyed by its address): the gateways that are Orleans clients
/// (<c>server</c> processes), which no silo's <see cref="IGatewayLink"/> reaches. Each such gateway
/// renews itself with every silo's roster, so a grain rebuilding after a silo died still finds all
/// of them in any surviving silo's roster.
/// </summary>
[Alias("so.IGatewayRosterGrain")]
public interface IGatewayRosterGrain : IGrainWithStringKey
{
    Task Renew(string gatewayId, IGatewayObserver gateway);

    /// <summary>The gateways that renewed recently enough to be taken for alive.</summary>
    Task<IGatewayObserver[]> Live();
}
