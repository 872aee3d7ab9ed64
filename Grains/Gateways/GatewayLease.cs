namespace SoketiOrleans.Grains.Gateways;

/// <summary>
/// A gateway's lease on its ledger: renewed by every report, lapsed when none came for
/// <see cref="Duration"/>. This is how a gateway that is not in a silo's process (an Orleans
/// client), or one that hangs, is found gone.
/// </summary>
public sealed class GatewayLease(TimeProvider time, TimeSpan duration)
{
    /// <summary>The key of the clock leases are timed with (its own, so tests can move it without moving Orleans').</summary>
    public const string Clock = "soketi-leases";

    private long _renewedAt = time.GetTimestamp();

    public TimeSpan Duration { get; } = duration;

    public void Renew() => _renewedAt = time.GetTimestamp();

    public bool Lapsed => time.GetElapsedTime(_renewedAt) > Duration;
}
