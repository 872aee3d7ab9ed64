using System.Text.Json;
using System.Text.Json.Nodes;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>Reads <see cref="RedisOptions"/> with soketi's keys and defaults.</summary>
internal static class RedisReader
{
    public static RedisOptions Read(OptionsReader r)
    {
        var host = r.String("database.redis.host", "127.0.0.1");
        var port = r.Int("database.redis.port", 1, 65535, 6379);
        var clusterMode = r.Bool("adapter.redis.clusterMode");
        var sentinels = Endpoints(r, "database.redis.sentinels");
        var clusterNodes = Endpoints(r, "database.redis.clusterNodes");
        var single = new[] { $"{host}:{port}" };
        var tlsCa = TlsCa(r);

        return new RedisOptions(
            clusterMode ? (clusterNodes.Count > 0 ? clusterNodes : single) : sentinels.Count > 0 ? sentinels : single,
            r.Int("database.redis.db", 0, int.MaxValue, 0),
            Optional(r, "database.redis.username"),
            Optional(r, "database.redis.password"),
            // A CA file has no use without TLS: giving one asks for TLS.
            tlsCa is not null || r.Bool("database.redis.tls") || AsksForTls(r.Node("adapter.redis.redisPubOptions")) || AsksForTls(r.Node("adapter.redis.redisSubOptions")),
            tlsCa,
            !clusterMode && sentinels.Count > 0 ? r.String("database.redis.name", "mymaster") : null,
            Optional(r, "database.redis.sentinelPassword"),
            clusterMode,
            r.String("database.redis.keyPrefix") + r.String("adapter.redis.prefix") + "soketi:");
    }

    private static string? Optional(OptionsReader r, string path) => r.String(path) is { Length: > 0 } value ? value : null;

    /// <summary>Checked here, so that a wrong path stops start-up with the other configuration problems, not at connect.</summary>
    private static string? TlsCa(OptionsReader r)
    {
        if (Optional(r, "database.redis.tlsCa") is not { } path)
        {
            return null;
        }

        try
        {
            using var _ = RedisTrust.Load(path);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            r.Problem("database.redis.tlsCa", r.Node("database.redis.tlsCa"), "a readable CA certificate file (PEM or DER)");
            return null;
        }
    }

    /// <summary>soketi passes these to ioredis, where a <c>tls</c> entry turns TLS on.</summary>
    private static bool AsksForTls(JsonNode? options) => options is JsonObject o && o["tls"] is not null;

    /// <summary>ioredis' shapes: <c>[{"host":…,"port":…}]</c>, <c>["host:port"]</c>, or a port alone; null or absent is none.</summary>
    private static IReadOnlyList<string> Endpoints(OptionsReader r, string path)
    {
        var node = r.Node(path);
        if (node is null || node is JsonValue v && v.GetValueKind() == JsonValueKind.Null)
        {
            return [];
        }

        return r.Read(path, node, (IReadOnlyList<string>)[], "a list of Redis nodes, each {\"host\":…,\"port\":…} or \"host:port\"", TryEndpoints);
    }

    private static bool TryEndpoints(JsonNode node, out IReadOnlyList<string> endpoints)
    {
        endpoints = [];
        if (node is not JsonArray array)
        {
            return false;
        }

        var list = new List<string>();
        foreach (var entry in array)
        {
            switch (entry)
            {
                case JsonObject o when o["host"] is JsonValue h && ConfigValue.TryString(h, out var entryHost) && Port(o["port"]) is { } entryPort:
                    list.Add($"{entryHost}:{entryPort}");
                    break;
                case JsonValue s when s.GetValueKind() == JsonValueKind.String && s.GetValue<string>().Contains(':'):
                    list.Add(s.GetValue<string>());
                    break;
                case JsonValue n when ConfigValue.TryInt(n, out var portOnly):
                    list.Add($"127.0.0.1:{portOnly}");
                    break;
                default:
                    return false;
            }
        }

        endpoints = list;
        return true;
    }

    /// <summary>ioredis' default port when none is given; null when the one given is not a number.</summary>
    private static int? Port(JsonNode? node) => node is null ? 6379 : ConfigValue.TryInt(node, out var port) ? port : null;
}
