using SoketiOrleans.Channels;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>Who this gateway is to the grains: a unique id and the observer reference they push to.</summary>
public sealed class GatewayIdentity
{
    private long _registrations;
    private IGatewayObserver? _observer;

    /// <summary>Unique per process start, so a restarted gateway is never mistaken for its predecessor.</summary>
    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    public IGatewayObserver Observer =>
        _observer ?? throw new InvalidOperationException("The gateway observer is not registered yet");

    internal void Attach(IGatewayObserver observer) => _observer = observer;

    public long NextRegistration() => Interlocked.Increment(ref _registrations);
}
