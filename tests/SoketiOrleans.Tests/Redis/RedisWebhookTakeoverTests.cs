using System.Diagnostics;
using SoketiOrleans.Grains.Webhooks.Redis;
using SoketiOrleans.Tests.Harness;
using Xunit.Abstractions;

namespace SoketiOrleans.Tests.Redis;

/// <summary>Several nodes on one Redis and one destination: one sender at a time, and a dead one replaced.</summary>
public sealed class RedisWebhookTakeoverTests(ITestOutputHelper output)
{
    /// <summary>The longest a dead owner's entries may wait: its lease, one refresh, and slack for a busy machine.</summary>
    private static readonly TimeSpan TakeoverBound = RedisWebhookTimes.Defaults.Lease + RedisWebhookTimes.Defaults.Refresh + TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_batch_held_by_a_live_owner_goes_nowhere_else_and_is_sent_by_another_node_once_the_owner_dies()
    {
        await using var redis = await RedisServer.Start();
        await using var owner = await QueueNode.Start(redis.Port);
        await using var other = await QueueNode.Start(redis.Port);
        var destination = QueueNode.Destination();
        owner.Enqueue(destination, "e", 5);
        var stuck = new QueueConsumer(owner.Queue, destination, maxEvents: 3, acknowledge: false);
        Assert.Equal(QueueNode.Names("e", 3), await stuck.WaitFor(3));

        await using var successor = new QueueConsumer(other.Queue, destination);
        other.Enqueue(destination, "f", 2);
        // Absence is the point: three lease refreshes in which the other node must take nothing.
        await Task.Delay(RedisWebhookTimes.Defaults.Refresh * 3);
        Assert.Empty(successor.Received);

        var died = Stopwatch.StartNew();
        await owner.Die();
        await stuck.DisposeAsync();
        var received = await successor.WaitFor(7, TakeoverBound);
        var takeover = died.Elapsed;
        output.WriteLine($"taken over {takeover.TotalSeconds:F1} s after the owner died");

        Assert.Equal([.. QueueNode.Names("e", 5), .. QueueNode.Names("f", 2)], received);
        Assert.InRange(takeover, TimeSpan.Zero, TakeoverBound);
    }

    [Fact]
    public async Task Two_live_nodes_hand_out_every_entry_once_in_the_order_each_raised_them()
    {
        await using var redis = await RedisServer.Start();
        await using var a = await QueueNode.Start(redis.Port);
        await using var b = await QueueNode.Start(redis.Port);
        var destination = QueueNode.Destination();
        await using var senderA = new QueueConsumer(a.Queue, destination);
        await using var senderB = new QueueConsumer(b.Queue, destination);

        for (var i = 0; i < 200; i++)
        {
            Assert.True(a.Queue.Enqueue(destination, QueueNode.Event($"a-{i}")));
            Assert.True(b.Queue.Enqueue(destination, QueueNode.Event($"b-{i}")));
        }

        await Eventually.Get(() => Task.FromResult(senderA.Received.Count + senderB.Received.Count), n => n >= 400, "400 events taken");
        await Task.Delay(500); // proves that no entry is handed out a second time
        Assert.True(senderA.Received.Count == 0 || senderB.Received.Count == 0, "only the lease holder takes entries");
        var all = senderA.Received.Concat(senderB.Received).ToArray();
        Assert.Equal(QueueNode.Names("a", 200), all.Where(n => n.StartsWith("a-", StringComparison.Ordinal)));
        Assert.Equal(QueueNode.Names("b", 200), all.Where(n => n.StartsWith("b-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_node_shut_down_gracefully_hands_its_destination_over_within_a_refresh()
    {
        await using var redis = await RedisServer.Start();
        var first = await QueueNode.Start(redis.Port);
        await using var second = await QueueNode.Start(redis.Port);
        var destination = QueueNode.Destination();
        var firstSender = new QueueConsumer(first.Queue, destination);
        first.Enqueue(destination, "e", 1);
        await firstSender.WaitFor(1);
        await using var secondSender = new QueueConsumer(second.Queue, destination);

        await firstSender.DisposeAsync();
        var stopped = Stopwatch.StartNew();
        await first.DisposeAsync();
        second.Enqueue(destination, "f", 1);

        Assert.Equal(["f-0"], await secondSender.WaitFor(1, RedisWebhookTimes.Defaults.Refresh + TimeSpan.FromSeconds(2)));
        Assert.True(stopped.Elapsed < RedisWebhookTimes.Defaults.Lease, $"took over after {stopped.Elapsed}");
    }

    /// <summary>
    /// Redis restarted empty (or a replica that never saw the lease promoted) frees the owner key at
    /// once, and another node takes it on its next beat while the old owner's own clock still gives
    /// it seconds of lease. Written here as that state: the key names the other node while the old
    /// owner still counts on its lease. Until the old owner's next renewal tells it (the warning),
    /// it must not read what the new owner is sending: before the read was tied to the key, the two
    /// sent the same entries (RedisOutageTests saw a channel's occupied event twice).
    /// </summary>
    [Fact]
    public async Task A_node_whose_lease_key_names_another_node_reads_nothing_even_while_its_own_clock_says_it_holds_the_lease()
    {
        await using var redis = await RedisServer.Start();
        await using var a = await QueueNode.Start(redis.Port);
        await using var b = await QueueNode.Start(redis.Port);
        var destination = QueueNode.Destination();
        await using var senderA = new QueueConsumer(a.Queue, destination);
        a.Enqueue(destination, "e", 1);
        await senderA.WaitFor(1);
        b.Enqueue(destination, "x", 1); // b's append mark names it in Redis
        Assert.Equal(["e-0", "x-0"], await senderA.WaitFor(2));
        var database = a.Connection.GetDatabase();
        var nodeA = (string)(await database.StringGetAsync(a.OwnerKey(destination)))!;
        var marks = (await redis.Command("--raw", "KEYS", "*:writer:*")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var nodeB = marks.Select(k => k[(k.IndexOf(":writer:", StringComparison.Ordinal) + ":writer:".Length)..]).Single(n => n != nodeA);

        Assert.True(await database.StringSetAsync(a.OwnerKey(destination), nodeB, RedisWebhookTimes.Defaults.Lease));
        await using var senderB = new QueueConsumer(b.Queue, destination, acknowledge: false);
        a.Enqueue(destination, "f", 3);

        await Eventually.Get(() => Task.FromResult(a.Log.Count("Another node took over the webhooks")), n => n == 1, "a's lease-lost warning",
            RedisWebhookTimes.Defaults.Refresh + TimeSpan.FromSeconds(2));
        Assert.Equal(["e-0", "x-0"], senderA.Received);
        Assert.Equal(QueueNode.Names("f", 3), await senderB.WaitFor(3));
    }
}
