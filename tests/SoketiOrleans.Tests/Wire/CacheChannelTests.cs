using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

[Collection(nameof(DefaultServer))]
public sealed class CacheChannelTests(ServerFixture fixture) : IDisposable
{
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    private PusherSigner Signer => _api.Signer;

    private Task<RawPusherClient> Connect() => RawPusherClient.Connect(fixture.Server.WebSocketUri());

    /// <summary>Subscribes with the auth the channel type needs; returns the first frame after it succeeded.</summary>
    private async Task<string> SubscribeAndReadReplay(RawPusherClient client, string channel)
    {
        if (channel.StartsWith("presence-", StringComparison.Ordinal))
        {
            await client.SubscribePresence(Signer, channel, $$"""{"user_id":"{{client.SocketId}}"}""");
        }
        else
        {
            var auth = channel.StartsWith("private-", StringComparison.Ordinal) ? Signer.PrivateAuth(client.SocketId, channel) : null;
            await client.Subscribe(channel, auth);
            Assert.Equal(Frames.SubscriptionSucceeded(channel), await client.Next());
        }

        return await client.Next();
    }

    [Theory]
    [InlineData("cache-")]
    [InlineData("private-cache-")]
    [InlineData("private-encrypted-cache-")]
    [InlineData("presence-cache-")]
    public async Task A_new_subscriber_gets_cache_miss_then_the_last_event_once_there_is_one(string prefix)
    {
        var channel = Names.Unique(prefix);
        await using var first = await Connect();
        Assert.Equal(Frames.CacheMiss(channel), await SubscribeAndReadReplay(first, channel));

        ApiAssert.IsOk(await _api.Trigger(channel, "older", "1"));
        ApiAssert.IsOk(await _api.Trigger(channel, "latest", "2"));
        Assert.Equal(Frames.Event("older", channel, "1"), await first.Next());
        Assert.Equal(Frames.Event("latest", channel, "2"), await first.Next());

        await using var second = await Connect();
        Assert.Equal(Frames.Event("latest", channel, "2"), await SubscribeAndReadReplay(second, channel));
        await second.AssertSilent();
        if (prefix != "presence-cache-")
        {
            await first.AssertSilent(); // no replay for those already subscribed (presence would hear member_added)
        }
    }

    [Fact]
    public async Task An_event_sent_while_nobody_listens_is_kept_for_the_first_subscriber()
    {
        var channel = Names.Unique("cache-");
        ApiAssert.IsOk(await _api.Trigger(channel, "while-empty", "e"));

        await using var client = await Connect();
        Assert.Equal(Frames.Event("while-empty", channel, "e"), await SubscribeAndReadReplay(client, channel));
    }

    [Fact]
    public async Task A_repeated_subscribe_replays_the_cache_again()
    {
        var channel = Names.Unique("cache-");
        ApiAssert.IsOk(await _api.Trigger(channel, "kept", "k"));
        await using var client = await Connect();
        Assert.Equal(Frames.Event("kept", channel, "k"), await SubscribeAndReadReplay(client, channel));

        Assert.Equal(Frames.Event("kept", channel, "k"), await SubscribeAndReadReplay(client, channel));
    }

    [Fact]
    public async Task Channels_without_the_cache_prefix_replay_nothing()
    {
        var channel = Names.Unique("not-cache-");
        ApiAssert.IsOk(await _api.Trigger(channel, "gone", "g"));
        await using var client = await Connect();

        await client.SubscribePublic(channel);

        await client.AssertSilent();
    }

    public void Dispose() => _api.Dispose();
}

/// <summary>A server that keeps cached events for one second.</summary>
public sealed class ShortCacheFixture : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Environment =>
        new Dictionary<string, string> { ["SOKETI_CHANNEL_CACHE_TTL"] = "1" };
}

public sealed class CacheExpiryTests(ShortCacheFixture fixture) : IClassFixture<ShortCacheFixture>, IDisposable
{
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    [Fact]
    public async Task The_cached_event_expires_after_the_configured_ttl()
    {
        var channel = Names.Unique("cache-");
        var started = DateTime.UtcNow;
        ApiAssert.IsOk(await _api.Trigger(channel, "short-lived", "s"));

        var replay = await Eventually.Get(
            async () =>
            {
                await using var client = await RawPusherClient.Connect(fixture.Server.WebSocketUri());
                await client.SubscribePublic(channel);
                return (Frame: await client.Next(), Age: DateTime.UtcNow - started);
            },
            r => r.Frame == Frames.CacheMiss(channel),
            "the cached event to expire");

        Assert.True(replay.Age >= TimeSpan.FromSeconds(1), $"expired after {replay.Age}");
    }

    public void Dispose() => _api.Dispose();
}
