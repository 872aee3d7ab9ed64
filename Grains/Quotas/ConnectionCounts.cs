using SoketiOrleans.Quotas;

namespace SoketiOrleans.Grains.Quotas;

/// <summary>
/// Sockets per gateway of one app, and admission against the app's limit. Counts are absolute and
/// versioned per gateway; a gateway leaves by reporting none, or by being found gone.
/// </summary>
public sealed class ConnectionCounts
{
    private readonly Dictionary<string, (int Count, long Version)> _gateways = new(StringComparer.Ordinal);

    public int Total => _gateways.Values.Sum(g => g.Count);

    public IEnumerable<string> Gateways => _gateways.Keys;

    /// <returns>How many of <paramref name="joining"/> fit; they count for the gateway from now on.</returns>
    public int Admit(ConnectionReport report, int joining, int limit)
    {
        var held = report.Held;
        if (_gateways.TryGetValue(report.GatewayId, out var known) && known.Version > report.Version)
        {
            held = known.Count; // an older count than the one taken from the gateway itself
        }

        _gateways.Remove(report.GatewayId);
        var admitted = Math.Clamp(limit - Total - held, 0, Math.Max(joining, 0));
        if (held + admitted > 0)
        {
            _gateways[report.GatewayId] = (held + admitted, Math.Max(report.Version, known.Version));
        }

        return admitted;
    }

    public void Remove(string gatewayId) => _gateways.Remove(gatewayId);
}
