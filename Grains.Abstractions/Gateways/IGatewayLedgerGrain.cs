namespace SoketiOrleans.Gateways;

/// <summary>
/// One per gateway, keyed by its id, never placed in the gateway's own process: a copy of what the
/// gateway holds at every grain, and its lease. When the gateway dies, this is what outlives it:
/// it tells each grain what left, so members leave once and channels are vacated once even where
/// the grain died with the gateway and was rebuilt without it.
/// </summary>
[Alias("so.IGatewayLedgerGrain")]
public interface IGatewayLedgerGrain : IGrainWithStringKey
{
    Task<LedgerAnswer> Record(LedgerReport report);
}
