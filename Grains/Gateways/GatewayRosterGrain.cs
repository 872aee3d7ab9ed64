using Microsoft.Extensions.DependencyInjection;
using SoketiOrleans.Gateways;

namespace SoketiOrleans.Grains.Gateways;

/// <inheritdoc cref="IGatewayRosterGrain"/>
[InKeyedSiloPlacement]
public sealed class GatewayRosterGrain([FromKeyedServices(GatewayLease.Clock)] TimeProvider time) : Grain, IGatewayRosterGrain
{
    /// <summary>Gateways renew every 2 s: one missed renewal is tolerated, two are not.</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A gateway silent for this long is not asked any more: asking a dead client waits for the
    /// whole 3 s answer timeout (Orleans keeps its messages in case it reconnects).
    /// </summary>
    public static readonly TimeSpan Stale = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, (IGatewayObserver Gateway, long RenewedAt)> _gateways = new(StringComparer.Ordinal);

    public Task Renew(string gatewayId, IGatewayObserver gateway)
    {
        _gateways[gatewayId] = (gateway, time.GetTimestamp());
        return Task.CompletedTask;
    }

    public Task<IGatewayObserver[]> Live()
    {
        foreach (var (id, entry) in _gateways.ToArray())
        {
            if (time.GetElapsedTime(entry.RenewedAt) > Stale)
            {
                _gateways.Remove(id);
            }
        }

        return Task.FromResult(_gateways.Values.Select(e => e.Gateway).ToArray());
    }
}
