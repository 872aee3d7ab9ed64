using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>A server whose default app takes client events, at most 5 per socket per second, 1 KB each.</summary>
public sealed class ClientEventsFixture : ServerFixture
{
    public const int EventsPerSecond = 5;

    protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES"] = "true",
        ["SOKETI_DEFAULT_APP_MAX_CLIENT_EVENTS_PER_SEC"] = EventsPerSecond.ToString(),
        ["SOKETI_EVENT_MAX_SIZE_IN_KB"] = "1",
        ["SOKETI_EVENT_MAX_NAME_LENGTH"] = "20",
    };
}

public sealed class ClientEventTests(ClientEventsFixture fixture) : IClassFixture<ClientEventsFixture>, IDisposable
{
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    private PusherSigner Signer => _api.Signer;

    private Task<RawPusherClient> Connect() => RawPusherClient.Connect(fixture.Server.WebSocketUri());

    private static Task SendClientEvent(RawPusherClient client, string channel, string name = "client-typing", string data = """{"who":"me"}""") =>
        client.SendText($$$"""{"event":"{{{name}}}","channel":"{{{channel}}}","data":{{{data}}}}""");

    /// <summary>Two sockets subscribed to the same private channel.</summary>
    private async Task<PrivatePair> SubscribePair()
    {
        var channel = Names.Unique("private-chat-");
        var pair = new PrivatePair(await Connect(), await Connect(), channel);
        await pair.Sender.SubscribePrivate(Signer, channel);
        await pair.Receiver.SubscribePrivate(Signer, channel);
        return pair;
    }

    [Fact]
    public async Task Private_channel_client_event_reaches_the_others_but_not_the_sender()
    {
        await using var pair = await SubscribePair();
        var (sender, receiver, channel) = pair;

        await SendClientEvent(sender, channel);

        Assert.Equal($$$"""{"event":"client-typing","channel":"{{{channel}}}","data":{"who":"me"}}""", await receiver.Next());
        await sender.ExpectPong();
    }

    [Fact]
    public async Task String_data_and_missing_data_pass_through_as_sent()
    {
        await using var pair = await SubscribePair();
        var (sender, receiver, channel) = pair;

        await SendClientEvent(sender, channel, data: "\"{\\\"a\\\":1}\"");
        await sender.SendText($$$"""{"event":"client-bare","channel":"{{{channel}}}"}""");

        Assert.Equal($$$"""{"event":"client-typing","channel":"{{{channel}}}","data":"{\"a\":1}"}""", await receiver.Next());
        Assert.Equal($$$"""{"event":"client-bare","channel":"{{{channel}}}"}""", await receiver.Next());
    }

    [Fact]
    public async Task Presence_channel_client_event_carries_the_senders_user_id()
    {
        var channel = Names.Unique("presence-chat-");
        await using var ann = await Connect();
        await using var bob = await Connect();
        await ann.SubscribePresence(Signer, channel, """{"user_id":"ann"}""");
        await bob.SubscribePresence(Signer, channel, """{"user_id":"bob"}""");
        await ann.WaitFor("pusher_internal:member_added", channel);

        await SendClientEvent(ann, channel);

        Assert.Equal($$$"""{"event":"client-typing","channel":"{{{channel}}}","data":{"who":"me"},"user_id":"ann"}""", await bob.Next());
        await ann.ExpectPong();
    }

    [Theory]
    [InlineData("public-")]
    [InlineData("private-encrypted-")]
    public async Task Channels_other_than_private_and_presence_refuse_client_events(string prefix)
    {
        var channel = Names.Unique(prefix);
        await using var sender = await Connect();
        await using var receiver = await Connect();
        foreach (var client in new[] { sender, receiver })
        {
            await client.Subscribe(channel, prefix == "private-encrypted-" ? Signer.PrivateAuth(client.SocketId, channel) : null);
            Assert.Equal(Frames.SubscriptionSucceeded(channel), await client.Next());
        }

        await SendClientEvent(sender, channel);

        Assert.Equal(Frames.Error(4301, "Client events are only supported on private and presence channels.", channel), await sender.Next());
        await receiver.AssertSilent();
    }

    [Fact]
    public async Task A_socket_not_subscribed_to_the_channel_is_refused()
    {
        await using var pair = await SubscribePair();
        var (sender, receiver, channel) = pair;
        await using var outsider = await Connect();

        await SendClientEvent(outsider, channel);
        await outsider.SendText("""{"event":"client-typing","data":{}}""");

        Assert.Equal(Frames.Error(4301, "Client event rejected: the connection is not subscribed to the channel.", channel), await outsider.Next());
        Assert.Equal(Frames.Error(4301, "Client event rejected: the connection is not subscribed to the channel.", null), await outsider.Next());
        await receiver.AssertSilent();
    }

    [Fact]
    public async Task Names_must_start_with_client_and_fit_the_name_limit()
    {
        await using var pair = await SubscribePair();
        var (sender, receiver, channel) = pair;

        await SendClientEvent(sender, channel, name: "xclient-typing");
        await SendClientEvent(sender, channel, name: "client-" + new string('n', 14)); // 21 characters, limit 20
        await SendClientEvent(sender, channel, name: "client-" + new string('n', 13)); // exactly 20

        Assert.Equal(Frames.Error(4301, "Client event names must start with client-.", channel), await sender.Next());
        Assert.Equal(Frames.Error(4301, "Event name is too long. Maximum allowed size is 20.", channel), await sender.Next());
        Assert.Equal($$$"""{"event":"client-{{{new string('n', 13)}}}","channel":"{{{channel}}}","data":{"who":"me"}}""", await receiver.Next());
        await receiver.AssertSilent();
    }

    [Fact]
    public async Task Data_over_the_payload_limit_is_refused_and_at_the_limit_passes()
    {
        await using var pair = await SubscribePair();
        var (sender, receiver, channel) = pair;
        var atLimit = "\"" + new string('x', 1024 - 2) + "\"";
        var overLimit = "\"" + new string('x', 1024 - 1) + "\"";

        await SendClientEvent(sender, channel, data: overLimit);
        await SendClientEvent(sender, channel, data: atLimit);

        Assert.Equal(Frames.Error(4301, "The event data should be less than 1 KB.", channel), await sender.Next());
        Assert.Equal($$$"""{"event":"client-typing","channel":"{{{channel}}}","data":{{{atLimit}}}}""", await receiver.Next());
        await receiver.AssertSilent();
    }

    [Fact]
    public async Task More_than_the_per_second_limit_is_refused_with_4301_and_the_socket_stays_open()
    {
        await using var pair = await SubscribePair();
        var (sender, receiver, channel) = pair;

        for (var i = 0; i <= ClientEventsFixture.EventsPerSecond; i++)
        {
            await SendClientEvent(sender, channel, data: i.ToString());
        }

        for (var i = 0; i < ClientEventsFixture.EventsPerSecond; i++)
        {
            Assert.Equal($$$"""{"event":"client-typing","channel":"{{{channel}}}","data":{{{i}}}}""", await receiver.Next());
        }

        Assert.Equal(Frames.Error(4301, "The rate limit for sending client events exceeded the quota.", channel), await sender.Next());
        await receiver.AssertSilent();
        await sender.ExpectPong();
    }

    [Fact]
    public async Task A_client_event_on_a_cache_channel_is_replayed_to_later_subscribers()
    {
        var channel = Names.Unique("private-cache-");
        await using var sender = await Connect();
        await sender.SubscribePrivate(Signer, channel);
        Assert.Equal(Frames.CacheMiss(channel), await sender.Next());

        await SendClientEvent(sender, channel);
        await sender.ExpectPong();

        await using var late = await Connect();
        await late.SubscribePrivate(Signer, channel);
        Assert.Equal($$$"""{"event":"client-typing","channel":"{{{channel}}}","data":{"who":"me"}}""", await late.Next());
    }

    public void Dispose() => _api.Dispose();

    private sealed record PrivatePair(RawPusherClient Sender, RawPusherClient Receiver, string Channel) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Sender.DisposeAsync();
            await Receiver.DisposeAsync();
        }
    }
}
