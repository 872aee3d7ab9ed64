using StackExchange.Redis;

namespace SoketiOrleans.Grains.Redis;

/// <summary>
/// The <c>redis</c> mode's one connection, shared by everything the server keeps in Redis, and the
/// root every key starts with (<c>database.redis.keyPrefix</c> + <c>adapter.redis.prefix</c> +
/// <c>soketi:</c>), so that deployments with different prefixes on one Redis never meet.
/// </summary>
public sealed class RedisStore(IConnectionMultiplexer connection, string root)
{
    public IConnectionMultiplexer Connection { get; } = connection;

    public string Root { get; } = root;

    public IDatabase Database => Connection.GetDatabase();

    public RedisKey Key(string suffix) => Root + suffix;
}
