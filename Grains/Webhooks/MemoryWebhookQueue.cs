using System.Collections.Concurrent;
using System.Threading.Channels;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Webhooks;

/// <summary>
/// Local mode's queue: one bounded in-memory channel per destination. Lost if the process dies;
/// drained on graceful shutdown.
/// </summary>
public sealed class MemoryWebhookQueue : IWebhookQueue
{
    /// <summary>Per destination; beyond it a receiver that stays down would grow memory without bound.</summary>
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<WebhookDestination, Channel<WebhookEvent>> _queues = new();
    private int _unacknowledged;

    public int Unacknowledged => Volatile.Read(ref _unacknowledged);

    public bool Enqueue(WebhookDestination destination, WebhookEvent webhookEvent)
    {
        if (!Queue(destination).Writer.TryWrite(webhookEvent))
        {
            return false;
        }

        Interlocked.Increment(ref _unacknowledged);
        return true;
    }

    public async ValueTask<WebhookBatch> Take(WebhookDestination destination, int maxEvents, TimeSpan gather, CancellationToken cancellationToken)
    {
        var reader = Queue(destination).Reader;
        var events = new List<WebhookEvent> { await reader.ReadAsync(cancellationToken) };
        if (gather > TimeSpan.Zero)
        {
            await Task.Delay(gather, cancellationToken);
        }

        while (events.Count < maxEvents && reader.TryRead(out var next))
        {
            events.Add(next);
        }

        return new WebhookBatch(destination, events);
    }

    public ValueTask Acknowledge(WebhookBatch batch)
    {
        // Taking already removed the events; only the count of those in flight changes.
        Interlocked.Add(ref _unacknowledged, -batch.Events.Count);
        return ValueTask.CompletedTask;
    }

    private Channel<WebhookEvent> Queue(WebhookDestination destination) =>
        _queues.GetOrAdd(destination, static _ => Channel.CreateBounded<WebhookEvent>(
            new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait }));
}
