namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// A primary and one sentinel watching it as <see cref="Service"/> (quorum 1), each a real
/// <c>redis-server</c> on a free loopback port. Passwords, when given, are each side's own:
/// the primary's (which the sentinel also needs to watch it) and the sentinel's.
/// </summary>
public sealed class RedisSentinel : IAsyncDisposable
{
    /// <summary>soketi's default <c>database.redis.name</c>.</summary>
    public const string Service = "mymaster";

    private RedisSentinel(RedisServer primary, RedisServer sentinel)
    {
        Primary = primary;
        Sentinel = sentinel;
    }

    public RedisServer Primary { get; }

    public RedisServer Sentinel { get; }

    public static async Task<RedisSentinel> Start(string? primaryPassword = null, string? sentinelPassword = null)
    {
        var primary = await RedisServer.Start(
            arguments: primaryPassword is null ? [] : ["--requirepass", primaryPassword],
            cli: primaryPassword is null ? [] : ["--no-auth-warning", "-a", primaryPassword]);
        try
        {
            // The monitor line goes in a file: a sentinel refuses to start without a config file it can rewrite.
            var config = $"sentinel monitor {Service} 127.0.0.1 {primary.Port} 1\n"
                         + (primaryPassword is null ? "" : $"sentinel auth-pass {Service} {primaryPassword}\n");
            var sentinel = await RedisServer.Start(
                config: config,
                arguments: ["--sentinel", .. sentinelPassword is null ? [] : new[] { "--requirepass", sentinelPassword }],
                cli: sentinelPassword is null ? [] : ["--no-auth-warning", "-a", sentinelPassword]);
            return new RedisSentinel(primary, sentinel);
        }
        catch
        {
            await primary.DisposeAsync();
            throw;
        }
    }

    /// <summary>soketi's variables for this sentinel, in ioredis' shape, with no host or port.</summary>
    public Dictionary<string, string> Environment() => new()
    {
        ["SOKETI_ADAPTER_DRIVER"] = "redis",
        ["SOKETI_DB_REDIS_SENTINELS"] = $$"""[{"host":"127.0.0.1","port":{{Sentinel.Port}}}]""",
    };

    public async ValueTask DisposeAsync()
    {
        await Sentinel.DisposeAsync();
        await Primary.DisposeAsync();
    }
}
