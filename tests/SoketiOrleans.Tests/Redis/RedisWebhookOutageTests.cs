using System.Diagnostics.Metrics;
using SoketiOrleans.Grains.Webhooks;
using SoketiOrleans.Grains.Webhooks.Redis;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Redis;

/// <summary>Redis going away while a node runs, and coming back with its data or empty.</summary>
public sealed class RedisWebhookOutageTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Events_raised_while_Redis_is_down_arrive_once_and_in_order_when_it_returns(bool keepData)
    {
        await using var redis = await RedisServer.Start();
        await using var node = await QueueNode.Start(redis.Port);
        var destination = QueueNode.Destination();
        await using var sender = new QueueConsumer(node.Queue, destination);
        node.Enqueue(destination, "before", 10);
        await sender.WaitFor(10);
        await Eventually.Get(() => Task.FromResult(node.Queue.Unacknowledged), n => n == 0, "the first events acknowledged");

        // Longer than the client's own backlog timeout (5 s), which hides a shorter outage from the queue.
        var restart = redis.Restart(keepData, down: TimeSpan.FromSeconds(8));
        await Eventually.Get(() => Task.FromResult(node.Connection.IsConnected), c => !c, "the node to see Redis gone");
        node.Enqueue(destination, "during", 300);
        Assert.Equal(300, node.Queue.Unacknowledged);
        await restart;

        await sender.WaitFor(310, TimeSpan.FromSeconds(30));
        await Task.Delay(500); // proves that nothing arrives a second time
        Assert.Equal([.. QueueNode.Names("before", 10), .. QueueNode.Names("during", 300)], sender.Received);
        await Eventually.Get(() => redis.Command("XLEN", node.StreamKey(destination)), n => n == "0", "acknowledged entries deleted");
        Assert.Equal(1, node.Log.Count("cannot reach Redis"));
        Assert.Equal(1, node.Log.Count("reaches Redis again"));
    }

    [Fact]
    public async Task Past_the_buffer_bound_events_are_dropped_counted_and_logged_once()
    {
        // Nothing listens on this port: Redis is down from the start.
        await using var node = await QueueNode.Start(FreePort.Next());
        var destination = QueueNode.Destination(appId: "overflowing-app");
        var log = new RecordingLogger<WebhookEvents>();
        var failed = 0L;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument is { Name: "webhooks_failed_total", Meter.Name: WebhookMetrics.MeterName })
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (tags.ToArray().Any(t => t.Value as string == "overflowing-app"))
            {
                Interlocked.Add(ref failed, value);
            }
        });
        listener.Start();
        using var metrics = new WebhookMetrics();
        var events = new WebhookEvents(new WebhookDestinations([destination.App]), node.Queue, metrics, log);

        for (var i = 0; i < RedisWebhookWriter.Capacity + 5; i++)
        {
            events.Raise(destination.App.Id, QueueNode.Event($"e-{i}"));
        }

        Assert.Equal(RedisWebhookWriter.Capacity, node.Queue.Unacknowledged);
        Assert.Equal(5, Interlocked.Read(ref failed));
        Assert.Equal(1, log.Count("is full"));
    }
}
