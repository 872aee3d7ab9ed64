using Microsoft.Extensions.Logging;

namespace SoketiOrleans.Grains.Webhooks.Redis;

/// <summary>
/// Tells operators once that Redis stopped answering the webhook queue and once that it answers
/// again, however many calls of however many destinations fail in between.
/// </summary>
internal sealed class RedisOutage(TimeProvider time, ILogger logger)
{
    /// <summary>When the outage began; 0 while Redis answers.</summary>
    private long _since;

    public void Failed(Exception exception)
    {
        if (Interlocked.CompareExchange(ref _since, time.GetTimestamp(), 0) == 0)
        {
            RedisWebhookLog.Unreachable(logger, exception.GetType().Name, RedisWebhookWriter.Capacity, exception);
        }
    }

    public void Answered()
    {
        if (Volatile.Read(ref _since) is not 0 and var since && Interlocked.CompareExchange(ref _since, 0, since) == since)
        {
            RedisWebhookLog.Reachable(logger, time.GetElapsedTime(since));
        }
    }
}
