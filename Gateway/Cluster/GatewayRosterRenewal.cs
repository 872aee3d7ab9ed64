using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Gateway.Channels;

namespace SoketiOrleans.Gateway.Cluster;

/// <summary>
/// A gateway outside the silos keeps itself in every silo's roster, so that a grain rebuilt after
/// its silo died asks it what it holds (co-hosted gateways are reached through their silo instead).
/// </summary>
internal sealed partial class GatewayRosterRenewal(ICluster cluster, GatewayIdentity identity, ILogger<GatewayRosterRenewal> logger)
    : BackgroundService
{
    /// <summary>Within the rosters' tolerance of one missed renewal (<c>GatewayRosterGrain.RenewEvery</c>).</summary>
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        do
        {
            try
            {
                await cluster.RenewInRosters(identity.Id, identity.Observer);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A silo that just died is still listed for a moment; the next round skips it.
                LogRenewalFailed(logger, e);
            }
        }
        while (await NextTick(timer, stoppingToken));
    }

    private static async Task<bool> NextTick(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Renewing this gateway in the silos' rosters failed; retrying")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception);
}
