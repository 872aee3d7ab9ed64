using System.Collections.Concurrent;
using SoketiOrleans.Grains.Webhooks;

namespace SoketiOrleans.Tests.Redis;

/// <summary>
/// Stands in for a destination's sender: takes batches and acknowledges each at once, or, when told
/// not to, takes one batch and holds it as a sender stuck on a receiver would.
/// </summary>
public sealed class QueueConsumer : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _received = new();
    private readonly ConcurrentQueue<int> _batchSizes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public QueueConsumer(IWebhookQueue queue, WebhookDestination destination, int maxEvents = 10, bool acknowledge = true) =>
        _loop = Task.Run(() => Run(queue, destination, maxEvents, acknowledge));

    /// <summary>The channel of every event taken, in the order taken.</summary>
    public IReadOnlyList<string> Received => _received.ToArray();

    public IReadOnlyList<int> BatchSizes => _batchSizes.ToArray();

    public Task<IReadOnlyList<string>> WaitFor(int count, TimeSpan? timeout = null) =>
        Harness.Eventually.Get(() => Task.FromResult(Received), r => r.Count >= count, $"{count} events taken", timeout);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task Run(IWebhookQueue queue, WebhookDestination destination, int maxEvents, bool acknowledge)
    {
        try
        {
            while (true)
            {
                var batch = await queue.Take(destination, maxEvents, TimeSpan.Zero, _stop.Token);
                _batchSizes.Enqueue(batch.Events.Count);
                foreach (var e in batch.Events)
                {
                    _received.Enqueue(e.Channel);
                }

                if (!acknowledge)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                await queue.Acknowledge(batch);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by the test.
        }
    }
}
