using SoketiOrleans.Apps;

namespace SoketiOrleans.Gateway.WarmUp;

/// <summary>
/// The apps the gateway serves: the host's, and while the gateway warms up, one made for that which
/// no client can name (its id, key and secret are random) and which has no webhooks.
/// </summary>
public sealed class GatewayApps(IAppManager apps) : IAppManager
{
    private App? _warmUp;

    public ValueTask<App?> FindByKey(string key) =>
        Volatile.Read(ref _warmUp) is { } warmUp && warmUp.Key == key ? ValueTask.FromResult<App?>(warmUp) : apps.FindByKey(key);

    public ValueTask<App?> FindById(string id) =>
        Volatile.Read(ref _warmUp) is { } warmUp && warmUp.Id == id ? ValueTask.FromResult<App?>(warmUp) : apps.FindById(id);

    /// <summary>Whether <paramref name="app"/> is the warm-up's: its sockets are the gateway's own, not clients'.</summary>
    internal bool IsWarmUp(App app) => ReferenceEquals(app, Volatile.Read(ref _warmUp));

    internal void Admit(App warmUp) => Volatile.Write(ref _warmUp, warmUp);

    internal void Dismiss() => Volatile.Write(ref _warmUp, null);
}
