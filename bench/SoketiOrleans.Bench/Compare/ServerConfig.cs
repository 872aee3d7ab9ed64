namespace SoketiOrleans.Bench.Compare;

/// <summary>
/// The soketi-format config file both servers are started with. Dotted keys, because soketi sets each
/// top-level key by path: a nested <c>appManager</c> object would replace its defaults whole.
/// </summary>
public static class ServerConfig
{
    public const string AppId = "app-id";
    public const string Key = "app-key";
    public const string Secret = "app-secret";

    /// <summary>A second app with the same settings, for the <c>neighbour</c> load: another tenant on the same server.</summary>
    public const string NeighbourAppId = "neighbour-id";
    public const string NeighbourKey = "neighbour-key";
    public const string NeighbourSecret = "neighbour-secret";

    /// <summary>Client events on and every rate limit and quota off, so only the server's speed limits the bench.</summary>
    public static string Json(int port) => $$"""
        { "host": "127.0.0.1", "port": {{port}}, "metrics.port": 0, "shutdownGracePeriod": 500,
          "appManager.array.apps": [{{App(AppId, Key, Secret)}}, {{App(NeighbourAppId, NeighbourKey, NeighbourSecret)}}] }
        """;

    private static string App(string id, string key, string secret) => $$"""
        { "id": "{{id}}", "key": "{{key}}", "secret": "{{secret}}",
            "enableClientMessages": true, "enableUserAuthentication": false, "enabled": true,
            "maxConnections": -1, "maxBackendEventsPerSecond": -1, "maxClientEventsPerSecond": -1,
            "maxReadRequestsPerSecond": -1, "webhooks": [] }
        """;
}
