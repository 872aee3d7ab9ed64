using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Grains.Redis;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Webhooks.Redis;

/// <summary>
/// The <c>redis</c> mode's queue: one Redis stream per destination, shared by every node of the
/// cluster, so that events survive the process that raised them.
/// <list type="bullet">
/// <item>Raising appends in order through a per-destination buffer in memory (bounded like memory
/// mode's queue) and one writer loop, so enqueueing never waits, and a Redis outage only fills the
/// buffer; the writer retries with back-off and the writes are idempotent, so nothing is added twice
/// when an answer was lost.</item>
/// <item>Sending: one node at a time per destination holds a lease (an owner key with an expiry,
/// renewed every 2 s, lasting 10 s) and reads the stream from its head; acknowledging a batch deletes
/// its entries (which also trims the stream). A dead owner's entries are still at the head when its
/// lease runs out, so the next owner sends them first: 10-12 s after the death, in order, at least
/// once (twice only if the owner died between the receiver's 2xx and the delete).</item>
/// <item>No consumer group: a group spreads entries over consumers, breaking a channel's order across
/// nodes, and with one owner at a time everything it adds (pending lists to claim with XAUTOCLAIM, a
/// delivered-up-to cursor) is already said by the stream itself, whose head is the oldest undelivered
/// event. Nor is there group state to lose: Redis coming back empty needs no repair.</item>
/// </list>
/// <see cref="Unacknowledged"/> counts what this node still holds (events not yet written and
/// batches taken and not yet deleted), which is what graceful shutdown waits for; entries left in
/// the stream are another node's to send.
/// </summary>
public sealed class RedisWebhookQueue : IWebhookQueue, IAsyncDisposable
{
    private readonly RedisStore _store;
    private readonly RedisWebhookTimes _times;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisWebhookQueue> _logger;
    private readonly RedisOutage _outage;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<WebhookDestination, RedisWebhookStream> _streams = new();

    /// <summary>This queue instance in the owner keys and append marks: unique even for two queues in one process.</summary>
    private readonly string _node = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public RedisWebhookQueue(RedisStore store, RedisWebhookTimes times, TimeProvider time, ILogger<RedisWebhookQueue> logger)
    {
        _store = store;
        _times = times;
        _time = time;
        _logger = logger;
        _outage = new RedisOutage(time, logger);
    }

    public int Unacknowledged => _streams.Values.Sum(s => s.Unacknowledged);

    public bool Enqueue(WebhookDestination destination, WebhookEvent webhookEvent)
    {
        var stream = Stream(destination);
        stream.StartWriting();
        return stream.Writer.Enqueue(webhookEvent);
    }

    public ValueTask<WebhookBatch> Take(WebhookDestination destination, int maxEvents, TimeSpan gather, CancellationToken cancellationToken)
    {
        var stream = Stream(destination);
        stream.StartSending();
        return stream.Reader.Take(maxEvents, gather, cancellationToken);
    }

    public ValueTask Acknowledge(WebhookBatch batch) => Stream(batch.Destination).Reader.Acknowledge(batch);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_streams.Values.Select(s => s.Stop()));
        _stopping.Dispose();
    }

    private RedisWebhookStream Stream(WebhookDestination destination) =>
        _streams.GetOrAdd(destination, d => new RedisWebhookStream(_store, d, _node, _times, _time, _outage, _logger, _stopping.Token));
}
