using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Webhooks;

/// <summary>
/// Holds raised events until their destination's sender has delivered them (or given up). Local
/// mode keeps them in memory; a durable store (Redis Streams) can take this place so that events
/// survive a crash: it would hand out un-acknowledged batches again.
/// </summary>
public interface IWebhookQueue
{
    /// <summary>Never waits; false when the destination's queue is full and the event was dropped.</summary>
    bool Enqueue(WebhookDestination destination, WebhookEvent webhookEvent);

    /// <summary>
    /// Waits for the destination's next event, then <paramref name="gather"/> for more, and returns
    /// up to <paramref name="maxEvents"/> in order.
    /// </summary>
    ValueTask<WebhookBatch> Take(WebhookDestination destination, int maxEvents, TimeSpan gather, CancellationToken cancellationToken);

    /// <summary>The batch is done with (delivered or given up on).</summary>
    ValueTask Acknowledge(WebhookBatch batch);

    /// <summary>Events enqueued and not yet acknowledged, over all destinations.</summary>
    int Unacknowledged { get; }
}
