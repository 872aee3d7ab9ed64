using Microsoft.Extensions.Logging;
using SoketiOrleans.Grains.Redis;
using StackExchange.Redis;

namespace SoketiOrleans.Grains.Webhooks.Redis;

/// <summary>
/// Which node sends a destination's events: the one whose id is in the owner key, set with an
/// expiry and renewed every <see cref="RedisWebhookTimes.Refresh"/>. Every other node that runs a
/// sender for the destination tries to take the key on the same beat, and gets it once the owner
/// released it (graceful shutdown) or stopped renewing it (died, or lost Redis) for a whole lease.
/// </summary>
internal sealed class RedisWebhookLease(
    RedisStore store,
    RedisWebhookKeys keys,
    string node,
    WebhookDestination destination,
    RedisWebhookTimes times,
    TimeProvider time,
    RedisOutage outage,
    ILogger logger)
{
    /// <summary>Takes the key when free, renews it when ours; one script so the check and the write are one step.</summary>
    private const string HoldScript = """
        local owner = redis.call('GET', KEYS[1])
        if owner and owner ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
        """;

    /// <summary>Deletes the key only if still ours: after a long pause another node may hold it.</summary>
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    /// <summary>
    /// Until when this node may send, by its own clock: a whole lease from before the renewal was
    /// asked, so Redis, which starts counting later, never lets another node in before this runs out.
    /// </summary>
    private long _heldUntil;

    public bool IsHeld => time.GetTimestamp() < Volatile.Read(ref _heldUntil);

    public async Task Run(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(times.Refresh, time);
        do
        {
            await Hold(stopping);
        }
        while (await timer.WaitForNextTickAsync(stopping));
    }

    /// <summary>Lets another node take over at once instead of after a lease; best effort, bounded by one refresh.</summary>
    public async Task Release()
    {
        if (!IsHeld)
        {
            return;
        }

        Volatile.Write(ref _heldUntil, 0);
        try
        {
            await store.Database.ScriptEvaluateAsync(ReleaseScript, [keys.Owner], [node]).WaitAsync(times.Refresh);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The lease runs out by itself; another node takes over then.
        }
    }

    private async Task Hold(CancellationToken stopping)
    {
        var held = IsHeld;
        var asked = time.GetTimestamp();
        try
        {
            var result = await store.Database.ScriptEvaluateAsync(HoldScript, [keys.Owner], [node, (long)times.Lease.TotalMilliseconds]).WaitAsync(stopping);
            outage.Answered();
            if ((int)result == 1)
            {
                Volatile.Write(ref _heldUntil, asked + (long)(times.Lease.TotalSeconds * time.TimestampFrequency));
                if (!held)
                {
                    RedisWebhookLog.LeaseTaken(logger, destination.App.Id, destination.Target.Url);
                }
            }
            else if (held)
            {
                Volatile.Write(ref _heldUntil, 0);
                RedisWebhookLog.LeaseLost(logger, destination.App.Id, destination.Target.Url);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not renewed: the lease runs out by itself, as it does in Redis.
            outage.Failed(e);
        }
    }
}
