using SoketiOrleans.Channels;

namespace SoketiOrleans.Grains.Channels;

/// <summary>
/// Where a cache channel's last event is kept beyond its grain's activation. In <c>local</c> mode
/// nowhere (<see cref="ActivationOnlyCachedEvents"/>): it dies with the silo that held it. In
/// <c>redis</c> mode in Redis, with its TTL, so a grain rebuilt after its silo died still has it.
/// </summary>
public interface ICachedEvents
{
    /// <summary>Never throws: a store that cannot be reached leaves the event in the activation only.</summary>
    Task Save(string channelKey, byte[] frame, TimeSpan ttl);

    /// <summary>The unexpired event kept for the channel, or null (also when the store cannot be reached).</summary>
    Task<CachedEvent?> Load(string channelKey);
}

/// <summary><c>local</c> mode: the activation's copy is the only one.</summary>
public sealed class ActivationOnlyCachedEvents : ICachedEvents
{
    public Task Save(string channelKey, byte[] frame, TimeSpan ttl) => Task.CompletedTask;

    public Task<CachedEvent?> Load(string channelKey) => Task.FromResult<CachedEvent?>(null);
}
