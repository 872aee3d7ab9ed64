using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

[Collection(nameof(DefaultServer))]
public sealed class PublicChannelTests(ServerFixture fixture) : IDisposable
{
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Subscribe_answers_subscription_succeeded_with_empty_object_string()
    {
        var channel = Names.Unique("news-");
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.Subscribe(channel);

        Assert.Equal(Frames.SubscriptionSucceeded(channel), await client.Next());
    }

    [Fact]
    public async Task Subscriber_receives_events_triggered_through_the_api()
    {
        var channel = Names.Unique("news-");
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());
        await client.SubscribePublic(channel);

        ApiAssert.IsOk(await _api.Trigger(channel, "headline", """{"title":"hi"}"""));

        Assert.Equal($$"""{"event":"headline","channel":"{{channel}}","data":"{\"title\":\"hi\"}"}""", await client.Next());
    }

    [Fact]
    public async Task Repeated_subscribe_succeeds_again_but_counts_and_delivers_once()
    {
        var channel = Names.Unique("news-");
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());
        await client.SubscribePublic(channel);

        await client.Subscribe(channel);
        Assert.Equal(Frames.SubscriptionSucceeded(channel), await client.Next());

        var info = await Eventually.Get(() => _api.Get($"/channels/{channel}"), r => r.Status == 200, "the channel info");
        Assert.Equal("""{"occupied":true,"subscription_count":1}""", info.Body);

        ApiAssert.IsOk(await _api.Trigger(channel, "first", "1"));
        ApiAssert.IsOk(await _api.Trigger(channel, "second", "2"));
        Assert.Equal($$"""{"event":"first","channel":"{{channel}}","data":"1"}""", await client.Next());
        Assert.Equal($$"""{"event":"second","channel":"{{channel}}","data":"2"}""", await client.Next());
    }

    [Fact]
    public async Task Unsubscribe_sends_nothing_back_and_stops_events_of_that_channel()
    {
        var channel = Names.Unique("news-");
        await using var leaver = await RawPusherClient.Connect(Server.WebSocketUri());
        await using var stayer = await RawPusherClient.Connect(Server.WebSocketUri());
        await leaver.SubscribePublic(channel);
        await stayer.SubscribePublic(channel);

        await leaver.Unsubscribe(channel);
        await leaver.ExpectPong();
        await Eventually.Get(() => _api.Get($"/channels/{channel}"), r => r.Body == """{"occupied":true,"subscription_count":1}""", "one subscription left");

        ApiAssert.IsOk(await _api.Trigger(channel, "after", "x"));
        Assert.Equal($$"""{"event":"after","channel":"{{channel}}","data":"x"}""", await stayer.Next());
        await leaver.AssertSilent();
    }

    [Fact]
    public async Task Events_of_other_channels_do_not_arrive()
    {
        var mine = Names.Unique("news-");
        var other = Names.Unique("news-");
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());
        await using var otherClient = await RawPusherClient.Connect(Server.WebSocketUri());
        await client.SubscribePublic(mine);
        await otherClient.SubscribePublic(other);

        ApiAssert.IsOk(await _api.Trigger(other, "elsewhere", "x"));

        Assert.Equal("elsewhere", (await otherClient.NextJson()).GetProperty("event").GetString());
        await client.AssertSilent();
    }

    public void Dispose() => _api.Dispose();
}
