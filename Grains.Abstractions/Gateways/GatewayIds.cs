namespace SoketiOrleans.Gateways;

/// <summary>
/// Gateway ids. A gateway co-hosted with a silo is named after that silo's address, which holds
/// the silo's start time, so a restarted process is never mistaken for its predecessor and the
/// silo's death in the membership table is the gateway's death. Other gateways (Orleans clients)
/// get a random id.
/// </summary>
public static class GatewayIds
{
    private const string SiloPrefix = "silo@";

    /// <summary>
    /// The DI key of the <see cref="IGatewayObserver"/> object of the gateway co-hosted in this
    /// process, which a silo's grains call directly rather than through Orleans messages.
    /// </summary>
    public const string InProcess = "gateway-in-process";

    public static string ForSilo(SiloAddress silo) => SiloPrefix + silo.ToParsableString();

    public static string ForClient() => $"client@{Guid.NewGuid():N}";

    /// <returns>The silo a co-hosted gateway runs in; null for other gateways.</returns>
    public static SiloAddress? SiloOf(string gatewayId) =>
        gatewayId.StartsWith(SiloPrefix, StringComparison.Ordinal) ? SiloAddress.FromParsableString(gatewayId[SiloPrefix.Length..]) : null;
}
