namespace SoketiOrleans.Quotas;

/// <summary>The connections of one app a gateway holds, absolute and versioned like a channel report.</summary>
[GenerateSerializer, Immutable, Alias("so.ConnectionReport")]
public sealed record ConnectionReport(
    [property: Id(0)] string GatewayId,
    [property: Id(1)] long Version,
    [property: Id(2)] int Held);
