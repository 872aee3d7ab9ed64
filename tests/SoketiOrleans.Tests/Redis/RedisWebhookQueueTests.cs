using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Redis;

/// <summary>One node at a time against a real redis-server: order, acknowledgement, key roots.</summary>
public sealed class RedisWebhookQueueTests
{
    [Fact]
    public async Task Batches_come_in_raised_order_and_acknowledging_deletes_their_entries()
    {
        await using var redis = await RedisServer.Start();
        await using var node = await QueueNode.Start(redis.Port);
        var destination = QueueNode.Destination();
        node.Enqueue(destination, "e", 250);
        var stream = node.StreamKey(destination);
        await Eventually.Get(() => redis.Command("XLEN", stream), n => n == "250", "250 entries written");

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var first = await node.Queue.Take(destination, 100, TimeSpan.Zero, cancel.Token);
        Assert.Equal(QueueNode.Names("e", 100), first.Events.Select(e => e.Channel));
        Assert.Equal(100, node.Queue.Unacknowledged);
        Assert.Equal("250", await redis.Command("XLEN", stream));

        await node.Queue.Acknowledge(first);
        Assert.Equal("150", await redis.Command("XLEN", stream));
        Assert.Equal(0, node.Queue.Unacknowledged);

        var rest = new List<string>();
        while (rest.Count < 150)
        {
            var batch = await node.Queue.Take(destination, 100, TimeSpan.Zero, cancel.Token);
            rest.AddRange(batch.Events.Select(e => e.Channel));
            await node.Queue.Acknowledge(batch);
        }

        Assert.Equal(QueueNode.Names("e", 250).Skip(100), rest);
        Assert.Equal("0", await redis.Command("XLEN", stream));
        Assert.Equal(0, node.Queue.Unacknowledged);
    }

    [Fact]
    public async Task Queues_under_different_key_roots_never_see_each_others_entries()
    {
        await using var redis = await RedisServer.Start();
        await using var alpha = await QueueNode.Start(redis.Port, "alpha:soketi:");
        await using var beta = await QueueNode.Start(redis.Port, "beta:soketi:");
        var destination = QueueNode.Destination();
        await using var alphaSender = new QueueConsumer(alpha.Queue, destination);
        await using var betaSender = new QueueConsumer(beta.Queue, destination);

        alpha.Enqueue(destination, "a", 30);
        beta.Enqueue(destination, "b", 30);

        Assert.Equal(QueueNode.Names("a", 30), await alphaSender.WaitFor(30));
        Assert.Equal(QueueNode.Names("b", 30), await betaSender.WaitFor(30));
        var keys = (await redis.Command("KEYS", "*")).Split('\n');
        Assert.All(keys, k => Assert.True(k.StartsWith("alpha:soketi:webhooks:", StringComparison.Ordinal) || k.StartsWith("beta:soketi:webhooks:", StringComparison.Ordinal), k));
    }
}
