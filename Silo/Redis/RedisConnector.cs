using SoketiOrleans.Grains.Redis;
using SoketiOrleans.Silo.Configuration;
using StackExchange.Redis;

namespace SoketiOrleans.Silo.Redis;

/// <summary>
/// Opens the <c>redis</c> mode's one connection before anything else starts. A Redis that cannot be
/// reached at start-up is retried for <see cref="StartupPatience"/>, then start-up stops with a message
/// naming the address and its variables. Once connected, a lost connection is re-established in the
/// background for as long as the process runs: nothing depends on Redis to keep serving clients.
/// </summary>
internal static class RedisConnector
{
    public static readonly TimeSpan StartupPatience = TimeSpan.FromSeconds(10);

    public static async Task<RedisStore> Connect(RedisOptions options)
    {
        var configuration = Configuration(options);
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        var deadline = DateTime.UtcNow + StartupPatience;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await connection.GetDatabase().PingAsync();
                return new RedisStore(connection, options.KeyRoot);
            }
            catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
            {
                last = e;
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }

        await connection.DisposeAsync();
        throw new RedisUnreachableException(
            $"Cannot reach {options.Describe()} after {StartupPatience.TotalSeconds:0} s: {last?.Message.Split('\n')[0]}");
    }

    public static ConfigurationOptions Configuration(RedisOptions options)
    {
        var configuration = new ConfigurationOptions
        {
            // Keep trying in the background instead of failing: start-up checks reachability itself.
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
            DefaultDatabase = options.Database,
            User = options.User,
            // As ioredis: the password for the data nodes, the sentinel password for the sentinels. Without a
            // sentinel password StackExchange.Redis offers the data password to the sentinels; a sentinel
            // without a password refuses it and is used all the same.
            Password = options.Password,
            SentinelPassword = options.SentinelPassword,
            Ssl = options.Tls,
            ServiceName = options.SentinelService,
            ClientName = "soketi-orleans",
        };
        if (options.TlsCa is not null)
        {
            configuration.TrustIssuer(RedisTrust.Load(options.TlsCa));
        }

        foreach (var endpoint in options.Endpoints)
        {
            configuration.EndPoints.Add(endpoint);
        }

        return configuration;
    }
}

internal sealed class RedisUnreachableException(string message) : Exception(message);
