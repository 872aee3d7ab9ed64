using Microsoft.Extensions.Hosting;
using SoketiOrleans.Channels;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>
/// Creates the observer reference once the Orleans runtime is up. DI keeps the observer alive;
/// the runtime itself only holds it weakly.
/// </summary>
internal sealed class GatewayObserverRegistration(IGrainFactory grains, GatewayObserver observer, GatewayIdentity identity)
    : IHostedService
{
    private IGatewayObserver? _reference;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _reference = grains.CreateObjectReference<IGatewayObserver>(observer);
        identity.Attach(_reference);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_reference is not null)
        {
            grains.DeleteObjectReference<IGatewayObserver>(_reference);
        }

        return Task.CompletedTask;
    }
}
