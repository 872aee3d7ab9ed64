using Microsoft.Extensions.Hosting;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateways;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>
/// Creates the observer reference once the Orleans runtime is up. DI keeps the observer alive;
/// the runtime itself only holds it weakly.
/// </summary>
internal sealed class GatewayObserverRegistration(ICluster cluster, GatewayObserver observer, GatewayIdentity identity)
    : IHostedService
{
    private IGatewayObserver? _reference;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _reference = cluster.CreateObserver(observer);
        identity.Attach(_reference);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_reference is not null)
        {
            cluster.DeleteObserver(_reference);
        }

        return Task.CompletedTask;
    }
}
