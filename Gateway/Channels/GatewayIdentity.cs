using SoketiOrleans.Gateways;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>Who this gateway is to the grains: its id (see <see cref="GatewayIds"/>) and the observer reference they push to.</summary>
public sealed class GatewayIdentity(string id)
{
    private long _registrations;
    private IGatewayObserver? _observer;

    public string Id { get; } = id;

    public IGatewayObserver Observer =>
        _observer ?? throw new InvalidOperationException("The gateway observer is not registered yet");

    internal void Attach(IGatewayObserver observer) => _observer = observer;

    public long NextRegistration() => Interlocked.Increment(ref _registrations);
}
