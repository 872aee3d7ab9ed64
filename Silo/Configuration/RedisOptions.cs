namespace SoketiOrleans.Silo.Configuration;

/// <summary>
/// soketi's Redis connection (<c>database.redis.*</c>) and the <c>redis</c> adapter's settings
/// (<c>adapter.redis.*</c>): one connection for everything this server keeps in Redis.
/// </summary>
/// <param name="Endpoints">host:port of the server, the sentinels, or the Redis Cluster nodes.</param>
/// <param name="TlsCa">A CA certificate file to trust for TLS (<c>database.redis.tlsCa</c>), beside the system's.</param>
/// <param name="SentinelService">The primary's name (<c>database.redis.name</c>) when <paramref name="Endpoints"/> are sentinels.</param>
/// <param name="KeyRoot">What every key starts with: <c>keyPrefix</c>, then <c>adapter.redis.prefix</c>, then <c>soketi:</c>.</param>
public sealed record RedisOptions(
    IReadOnlyList<string> Endpoints,
    int Database,
    string? User,
    string? Password,
    bool Tls,
    string? TlsCa,
    string? SentinelService,
    string? SentinelPassword,
    bool ClusterMode,
    string KeyRoot)
{
    /// <summary>Where it connects and which variables say so, for messages.</summary>
    public string Describe() => ClusterMode
        ? $"Redis Cluster nodes {string.Join(", ", Endpoints)} (SOKETI_DB_REDIS_CLUSTER_NODES)"
        : SentinelService is not null
            ? $"Redis sentinels {string.Join(", ", Endpoints)} for \"{SentinelService}\" (SOKETI_DB_REDIS_SENTINELS, SOKETI_DB_REDIS_INSTANCE_NAME)"
            : $"Redis at {Endpoints[0]} (SOKETI_DB_REDIS_HOST, SOKETI_DB_REDIS_PORT)";
}
