using Microsoft.Extensions.Logging;
using SoketiOrleans.Channels;
using SoketiOrleans.Grains.Channels;
using StackExchange.Redis;

namespace SoketiOrleans.Grains.Redis;

/// <summary>
/// Cache channels' last events in Redis under <c>{root}cache:{app}:{channel}</c>, expiring with
/// their TTL. A publish waits for the write, so an event acknowledged to the backend survives the
/// silo that held its grain. While Redis cannot be reached, events stay in their activations only;
/// that is logged once when it starts and once when it ends.
/// </summary>
public sealed partial class RedisCachedEvents(RedisStore redis, ILogger<RedisCachedEvents> logger) : ICachedEvents
{
    private int _failing;

    public async Task Save(string channelKey, byte[] frame, TimeSpan ttl)
    {
        try
        {
            await redis.Database.StringSetAsync(Key(channelKey), frame, ttl);
            Recovered();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Failed(e);
        }
    }

    public async Task<CachedEvent?> Load(string channelKey)
    {
        try
        {
            var kept = await redis.Database.StringGetWithExpiryAsync(Key(channelKey));
            Recovered();
            return kept.Value.HasValue && kept.Expiry is { } left && left > TimeSpan.Zero ? new CachedEvent((byte[])kept.Value!, left) : null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Failed(e);
            return null;
        }
    }

    private RedisKey Key(string channelKey) => redis.Key("cache:" + channelKey);

    private void Failed(Exception e)
    {
        if (Interlocked.Exchange(ref _failing, 1) == 0)
        {
            LogUnreachable(logger, e);
        }
    }

    private void Recovered()
    {
        if (Volatile.Read(ref _failing) == 1 && Interlocked.Exchange(ref _failing, 0) == 1)
        {
            LogReachable(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis cannot be reached: cache channels' events are kept in their grains only until it is back")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is reachable again: cache channels' events are kept there again")]
    private static partial void LogReachable(ILogger logger);
}
