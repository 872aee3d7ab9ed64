namespace SoketiOrleans.Apps;

/// <summary>soketi's <c>array</c> driver: the apps of the config file and env vars, held in memory.</summary>
public sealed class ArrayAppManager(IReadOnlyList<App> apps) : IAppManager
{
    private readonly Dictionary<string, App> _byKey = apps.ToDictionary(a => a.Key, StringComparer.Ordinal);
    private readonly Dictionary<string, App> _byId = apps.ToDictionary(a => a.Id, StringComparer.Ordinal);

    public ValueTask<App?> FindByKey(string key) => ValueTask.FromResult(_byKey.GetValueOrDefault(key));

    public ValueTask<App?> FindById(string id) => ValueTask.FromResult(_byId.GetValueOrDefault(id));
}
