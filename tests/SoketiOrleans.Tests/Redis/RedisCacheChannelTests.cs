using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Redis;

/// <summary>In <c>redis</c> mode a cache channel's last event is kept in Redis with its TTL and outlives the silo that held its grain.</summary>
public sealed class RedisCacheChannelTests : IAsyncLifetime
{
    private const int ChannelCount = 12;
    private const int TtlSeconds = 600;

    private LocalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalCluster.StartRedis(["worker", "server"], new Dictionary<string, string>
    {
        ["SOKETI_CHANNEL_CACHE_TTL"] = TtlSeconds.ToString(),
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Cached_events_survive_the_death_of_the_silo_that_held_their_grains()
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

        // The only worker dies and a new one takes its place: every grain is rebuilt there, from Redis.
        await _cluster[0].Kill();
        await _cluster.Add("worker");
        foreach (var channel in channels)
        {
            await using var client = await RawPusherClient.Connect(server.WebSocketUri());
            await client.Subscribe(channel);
            // The first subscriptions wait while the new worker settles the old one's death (about 20 s
            // measured: it is the only voter left).
            Assert.Equal(Frames.SubscriptionSucceeded(channel), await client.Next(TimeSpan.FromSeconds(60)));
            Assert.Equal(Frames.Event("last", channel, channel), await client.Next());
        }
    }
}
