using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// <c>info</c> on <c>/events</c> and <c>/batch_events</c>: the channels' attributes come back in
/// Pusher's shape, counted after the publish. A subscriber counts once its
/// <c>subscription_succeeded</c> arrived, so no test here needs to wait for a count.
/// </summary>
[Collection(nameof(DefaultServer))]
public sealed class EventsInfoTests(ServerFixture fixture) : IDisposable
{
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    private PusherSigner Signer => _api.Signer;

    private Task<RawPusherClient> Connect() => RawPusherClient.Connect(fixture.Server.WebSocketUri());

    [Fact]
    public async Task Trigger_with_info_answers_each_channels_counts()
    {
        var plain = Names.Unique("info-");
        var presence = Names.Unique("presence-info-");
        var empty = Names.Unique("info-empty-");
        await using var a = await Connect();
        await using var b = await Connect();
        await using var c = await Connect();
        await a.SubscribePublic(plain);
        await b.SubscribePublic(plain);
        await a.SubscribePresence(Signer, presence, """{"user_id":"1"}""");
        await b.SubscribePresence(Signer, presence, """{"user_id":"1"}""");
        await c.SubscribePresence(Signer, presence, """{"user_id":"2"}""");

        var response = await _api.Post("/events", $$"""
            {"name":"n","data":"d","channels":["{{plain}}","{{presence}}","{{empty}}"],"info":"subscription_count,user_count"}
            """);

        // user_count applies to presence channels only, as in Pusher's reference.
        Assert.Equal((200, $$$$"""{"channels":{"{{{{plain}}}}":{"subscription_count":2},"{{{{presence}}}}":{"subscription_count":3,"user_count":2},"{{{{empty}}}}":{"subscription_count":0}}}"""), response);
        Assert.Equal("d", (await a.WaitFor("n", plain)).GetProperty("data").GetString());
    }

    [Fact]
    public async Task Trigger_answers_only_the_attributes_asked_for()
    {
        var plain = Names.Unique("info-");
        var presence = Names.Unique("presence-info-");
        await using var a = await Connect();
        await a.SubscribePublic(plain);
        await a.SubscribePresence(Signer, presence, """{"user_id":"1"}""");

        Assert.Equal((200, $$$$"""{"channels":{"{{{{plain}}}}":{},"{{{{presence}}}}":{"user_count":1}}}"""),
            await _api.Post("/events", $$"""{"name":"n","data":"d","channels":["{{plain}}","{{presence}}"],"info":"user_count"}"""));
        Assert.Equal((200, $$$$"""{"channels":{"{{{{plain}}}}":{"subscription_count":1}}}"""),
            await _api.Post("/events", $$"""{"name":"n","data":"d","channel":"{{plain}}","info":"subscription_count,cache,unknown"}"""));
    }

    [Fact]
    public async Task Trigger_with_the_same_channel_twice_answers_it_once()
    {
        var channel = Names.Unique("info-");
        Assert.Equal((200, $$$$"""{"channels":{"{{{{channel}}}}":{"subscription_count":0}}}"""),
            await _api.Post("/events", $$"""{"name":"n","data":"d","channels":["{{channel}}","{{channel}}"],"info":"subscription_count"}"""));
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("null")]
    [InlineData("\"cache\"")]
    public async Task Trigger_with_empty_or_no_applicable_info_answers_ok(string info)
    {
        ApiAssert.IsOk(await _api.Post("/events", $$"""{"name":"n","data":"d","channel":"{{Names.Unique("info-")}}","info":{{info}}}"""));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("[\"user_count\"]")]
    public async Task Trigger_with_info_that_is_not_a_string_gets_400(string info)
    {
        var channel = Names.Unique("info-");
        await using var client = await Connect();
        await client.SubscribePublic(channel);

        ApiAssert.IsError(await _api.Post("/events", $$"""{"name":"n","data":"d","channel":"{{channel}}","info":{{info}}}"""), 400,
            "The info must be a string of comma-separated attributes.");
        await client.AssertSilent();
    }

    [Fact]
    public async Task Batch_with_info_answers_one_object_per_event()
    {
        var plain = Names.Unique("info-");
        var presence = Names.Unique("presence-info-");
        await using var a = await Connect();
        await using var b = await Connect();
        await a.SubscribePublic(plain);
        await a.SubscribePresence(Signer, presence, """{"user_id":"1"}""");
        await b.SubscribePresence(Signer, presence, """{"user_id":"2"}""");

        var response = await _api.Post("/batch_events", $$"""
            {"batch":[
              {"channel":"{{plain}}","name":"a","data":"1","info":"subscription_count"},
              {"channel":"{{plain}}","name":"b","data":"2"},
              {"channel":"{{presence}}","name":"c","data":"3","info":"user_count,subscription_count"},
              {"channel":"{{plain}}","name":"d","data":"4","info":"user_count"}
            ]}
            """);

        Assert.Equal((200, """{"batch":[{"subscription_count":1},{},{"subscription_count":2,"user_count":2},{}]}"""), response);
        Assert.Equal("1", (await a.WaitFor("a", plain)).GetProperty("data").GetString());
        Assert.Equal("2", (await a.WaitFor("b", plain)).GetProperty("data").GetString());
    }

    [Fact]
    public async Task Batch_without_info_answers_ok()
    {
        ApiAssert.IsOk(await _api.Post("/batch_events", $$"""{"batch":[{"channel":"{{Names.Unique("info-")}}","name":"a","data":"1"}]}"""));
    }

    [Fact]
    public async Task Batch_event_with_info_and_several_channels_gets_400_and_nothing_is_sent()
    {
        var one = Names.Unique("info-");
        var two = Names.Unique("info-");
        await using var client = await Connect();
        await client.SubscribePublic(one);

        ApiAssert.IsError(await _api.Post("/batch_events", $$"""
            {"batch":[
              {"channel":"{{one}}","name":"a","data":"1"},
              {"channels":["{{one}}","{{two}}"],"name":"b","data":"2","info":"subscription_count"}
            ]}
            """), 400, "An event of a batch that asks for info must have a single channel.");
        await client.AssertSilent();
    }

    public void Dispose() => _api.Dispose();
}
