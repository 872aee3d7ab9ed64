using SoketiOrleans.Gateways;
using SoketiOrleans.Grains.Gateways;
using SoketiOrleans.Quotas;

namespace SoketiOrleans.Grains.Quotas;

/// <summary>
/// Admits an app's connections against its cluster-wide limit. Only apps with a limit have one;
/// it stays active while any gateway holds sockets of the app. A new activation asks every live
/// gateway for its count before it admits anyone.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class ConnectionQuotaGrain(LiveGateways gateways) : Grain, IConnectionQuotaGrain
{
    private readonly ConnectionCounts _counts = new();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var report in await gateways.Ask(link => link.Connections(this.GetPrimaryKeyString()), gateway => gateway.Connections(this.GetPrimaryKeyString())))
        {
            _counts.Admit(report, 0, int.MaxValue);
        }

        KeepAlive();
        this.RegisterGrainTimer(DropGoneGateways, LiveGateways.GoneCheck);
    }

    public Task<int> Admit(ConnectionReport report, int joining, int limit)
    {
        var admitted = _counts.Admit(report, joining, limit);
        KeepAlive();
        return Task.FromResult(admitted);
    }

    public Task Depart(GatewayDeparture departure)
    {
        _counts.Remove(departure.GatewayId);
        KeepAlive();
        return Task.CompletedTask;
    }

    private Task DropGoneGateways(CancellationToken cancellationToken)
    {
        foreach (var gatewayId in _counts.Gateways.Where(gateways.IsGone).ToArray())
        {
            _counts.Remove(gatewayId);
        }

        KeepAlive();
        return Task.CompletedTask;
    }

    private void KeepAlive() => DelayDeactivation(_counts.Total > 0 ? TimeSpan.MaxValue : TimeSpan.Zero);
}
