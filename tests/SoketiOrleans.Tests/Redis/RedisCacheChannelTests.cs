using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Redis;

/// <summary>In <c>redis</c> mode a cache channel's last event is kept in Redis with its TTL and outlives every silo that held its grain.</summary>
public sealed class RedisCacheChannelTests : IAsyncLifetime
{
    private const int ChannelCount = 12;
    private const int TtlSeconds = 600;

    private LocalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalCluster.StartRedis(["worker", "worker", "server"], new Dictionary<string, string>
    {
        ["SOKETI_CHANNEL_CACHE_TTL"] = TtlSeconds.ToString(),
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Cached_events_survive_the_death_of_every_silo_that_held_their_grains()
    {
        var server = _cluster.Gateways[0];
        using var api = new PusherApi(server.HttpUri);
        var channels = Enumerable.Range(0, ChannelCount).Select(_ => Names.Unique("cache-kept-")).ToArray();
        foreach (var channel in channels)
        {
            ApiAssert.IsOk(await api.Trigger(channel, "last", channel));
        }

        foreach (var channel in channels)
        {
            var ttl = long.Parse(await _cluster.Redis!.Command("PTTL", $"soketi:cache:app-id:{channel}"));
            Assert.InRange(ttl, 1, TtlSeconds * 1000L);
        }

        // Only the worker added now is left at the end: every grain is rebuilt there, from Redis.
        await _cluster.Add("worker");
        foreach (var worker in new[] { _cluster[0], _cluster[1] })
        {
            await worker.Kill();
            await _cluster.WaitUntilDeclaredDead(worker);
            foreach (var channel in channels)
            {
                await using var client = await RawPusherClient.Connect(server.WebSocketUri());
                await client.Subscribe(channel);
                // While the dead worker is not yet declared dead, a subscription may wait for its grain.
                Assert.Equal(Frames.SubscriptionSucceeded(channel), await client.Next(TimeSpan.FromSeconds(20)));
                Assert.Equal(Frames.Event("last", channel, channel), await client.Next());
            }
        }
    }
}
