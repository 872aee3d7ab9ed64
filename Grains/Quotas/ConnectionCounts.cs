namespace SoketiOrleans.Grains.Quotas;

/// <summary>
/// Sockets per gateway of one app, and admission against the app's limit. A gateway re-reports its
/// count periodically; one silent for longer than <see cref="Expiry"/> is taken to be gone, so a
/// crashed gateway does not hold its share forever.
/// </summary>
public sealed class ConnectionCounts
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(90);

    private readonly Dictionary<string, (int Count, long Seen)> _gateways = new(StringComparer.Ordinal);

    public int Total => _gateways.Values.Sum(g => g.Count);

    public int Admit(string gatewayId, int held, int joining, int limit, long nowMilliseconds)
    {
        foreach (var (id, gateway) in _gateways)
        {
            if (nowMilliseconds - gateway.Seen > (long)Expiry.TotalMilliseconds)
            {
                _gateways.Remove(id);
            }
        }

        _gateways.Remove(gatewayId);
        var others = Total;
        var admitted = Math.Clamp(limit - others - held, 0, Math.Max(joining, 0));
        if (held + admitted > 0)
        {
            _gateways[gatewayId] = (held + admitted, nowMilliseconds);
        }

        return admitted;
    }
}
