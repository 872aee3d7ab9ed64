namespace SoketiOrleans.Gateways;

/// <summary>
/// A gateway is gone (its process died, or it stopped renewing its ledger lease). <see cref="Entry"/>
/// is what its ledger last knew it held at the grain told, so a grain rebuilt without that gateway
/// can still announce what left with it.
/// </summary>
[GenerateSerializer, Immutable, Alias("so.GatewayDeparture")]
public sealed record GatewayDeparture(
    [property: Id(0)] string GatewayId,
    [property: Id(1)] LedgerEntry Entry);
