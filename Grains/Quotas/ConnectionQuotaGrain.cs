using SoketiOrleans.Quotas;

namespace SoketiOrleans.Grains.Quotas;

/// <summary>
/// Admits an app's connections against its cluster-wide limit. Only apps with a limit have one;
/// it stays active while any gateway holds sockets of the app.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class ConnectionQuotaGrain : Grain, IConnectionQuotaGrain
{
    private readonly ConnectionCounts _counts = new();

    public Task<int> Admit(string gatewayId, int held, int joining, int limit)
    {
        var admitted = _counts.Admit(gatewayId, held, joining, limit, Environment.TickCount64);
        DelayDeactivation(_counts.Total > 0 ? TimeSpan.MaxValue : TimeSpan.Zero);
        return Task.FromResult(admitted);
    }
}
