using System.Threading.Channels;
using SoketiOrleans.Grains.Redis;
using SoketiOrleans.Webhooks;
using StackExchange.Redis;

namespace SoketiOrleans.Grains.Webhooks.Redis;

/// <summary>
/// This node's raised events for one destination, on their way into its stream: a bounded buffer
/// that enqueueing never waits on, and one loop that appends in order, retrying the same entries
/// with back-off for as long as Redis is unreachable.
/// </summary>
internal sealed class RedisWebhookWriter(RedisStore store, RedisWebhookKeys keys, RedisWebhookTimes times, RedisOutage outage, Action appended)
{
    /// <summary>Per destination, as in memory mode: the most a Redis outage may hold in this process.</summary>
    public const int Capacity = MemoryWebhookQueue.Capacity;

    /// <summary>Entries per script call: big enough to catch up after an outage, small enough not to stall Redis.</summary>
    private const int MaxAppend = 500;

    /// <summary>
    /// Appends the entries numbered ARGV[1] onwards that this writer's mark shows were not appended
    /// yet. An append whose answer was lost (Redis died or timed out after running it) is sent again,
    /// and this is what keeps it from adding the entries twice. The mark only has to outlive retries.
    /// </summary>
    private const string AppendScript = """
        local mark = tonumber(redis.call('GET', KEYS[2]) or '0')
        local first = tonumber(ARGV[1])
        for i = 3, #ARGV do
          if first + i - 3 > mark then redis.call('XADD', KEYS[1], '*', 'e', ARGV[i]) end
        end
        redis.call('SET', KEYS[2], first + #ARGV - 3, 'PX', ARGV[2])
        return 1
        """;

    private static readonly long MarkLifetimeMs = (long)TimeSpan.FromHours(1).TotalMilliseconds;

    /// <summary>Unbounded: <see cref="_pending"/> bounds it, counting the entries being appended too.</summary>
    private readonly Channel<WebhookEvent> _buffer = Channel.CreateUnbounded<WebhookEvent>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Events accepted and not yet in Redis.</summary>
    private int _pending;

    /// <summary>The number of the last entry appended; entries are numbered per writer from 1.</summary>
    private long _appended;

    public int Pending => Volatile.Read(ref _pending);

    public bool Enqueue(WebhookEvent webhookEvent)
    {
        // Counted first, so a quick writer never takes the count below the truth.
        if (Interlocked.Increment(ref _pending) > Capacity)
        {
            Interlocked.Decrement(ref _pending);
            return false;
        }

        return _buffer.Writer.TryWrite(webhookEvent);
    }

    public async Task Run(CancellationToken stopping)
    {
        var reader = _buffer.Reader;
        var entries = new List<RedisValue>(MaxAppend);
        while (await reader.WaitToReadAsync(stopping))
        {
            while (entries.Count < MaxAppend && reader.TryRead(out var next))
            {
                entries.Add(RedisWebhookEntry.Serialize(next));
            }

            await Append([_appended + 1, MarkLifetimeMs, .. entries], stopping);
            _appended += entries.Count;
            Interlocked.Add(ref _pending, -entries.Count);
            entries.Clear();
            appended();
        }
    }

    /// <param name="arguments">The script's: the first entry's number, the mark's lifetime, the entries.</param>
    private async Task Append(RedisValue[] arguments, CancellationToken stopping)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Not waited for past shutdown: the client may hold it for its whole timeout while Redis is down.
                await store.Database.ScriptEvaluateAsync(AppendScript, [keys.Stream, keys.WriterMark], arguments).WaitAsync(stopping);
                outage.Answered();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outage.Failed(e);
                await Task.Delay(times.RetryDelay(attempt), stopping);
            }
        }
    }
}
