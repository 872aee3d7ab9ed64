using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary><c>POST /apps/{id}/events</c> and <c>/batch_events</c>.</summary>
[Collection(nameof(DefaultServer))]
public sealed class EventsApiTests(ServerFixture fixture) : IDisposable
{
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    private ServerProcess Server => fixture.Server;

    private async Task<RawPusherClient> Subscriber(string channel)
    {
        var client = await RawPusherClient.Connect(Server.WebSocketUri());
        await client.SubscribePublic(channel);
        return client;
    }

    [Fact]
    public async Task Trigger_to_channels_answers_ok_and_reaches_subscribers()
    {
        var channel = Names.Unique("ev-");
        await using var first = await Subscriber(channel);
        await using var second = await Subscriber(channel);

        ApiAssert.IsOk(await _api.Post("/events", $$"""{"name":"greet","data":"hello","channels":["{{channel}}"]}"""));

        Assert.Equal(Frames.Event("greet", channel, "hello"), await first.Next());
        Assert.Equal(Frames.Event("greet", channel, "hello"), await second.Next());
    }

    [Fact]
    public async Task Trigger_to_a_single_channel_field_reaches_subscribers()
    {
        var channel = Names.Unique("ev-");
        await using var client = await Subscriber(channel);

        ApiAssert.IsOk(await _api.Post("/events", $$"""{"name":"greet","data":"hello","channel":"{{channel}}"}"""));

        Assert.Equal(Frames.Event("greet", channel, "hello"), await client.Next());
    }

    [Fact]
    public async Task Trigger_to_several_channels_reaches_each_with_its_own_channel_name()
    {
        var one = Names.Unique("ev-");
        var two = Names.Unique("ev-");
        await using var onOne = await Subscriber(one);
        await using var onTwo = await Subscriber(two);

        ApiAssert.IsOk(await _api.Post("/events", $$"""{"name":"greet","data":"both","channels":["{{one}}","{{two}}"]}"""));

        Assert.Equal(Frames.Event("greet", one, "both"), await onOne.Next());
        Assert.Equal(Frames.Event("greet", two, "both"), await onTwo.Next());
    }

    [Fact]
    public async Task Socket_id_excludes_that_socket_only()
    {
        var channel = Names.Unique("ev-");
        await using var sender = await Subscriber(channel);
        await using var other = await Subscriber(channel);

        ApiAssert.IsOk(await _api.Trigger(channel, "echo", "not for the sender", sender.SocketId));
        ApiAssert.IsOk(await _api.Trigger(channel, "next", "for all"));

        Assert.Equal(Frames.Event("echo", channel, "not for the sender"), await other.Next());
        Assert.Equal(Frames.Event("next", channel, "for all"), await other.Next());
        // The channel's events arrive in order, so the next frame proves the excluded one never came.
        Assert.Equal(Frames.Event("next", channel, "for all"), await sender.Next());
    }

    [Fact]
    public async Task Batch_answers_ok_and_delivers_every_event()
    {
        var one = Names.Unique("ev-");
        var two = Names.Unique("ev-");
        await using var onOne = await Subscriber(one);
        await using var onTwo = await Subscriber(two);

        ApiAssert.IsOk(await _api.Post("/batch_events", $$"""
            {"batch":[
              {"channel":"{{one}}","name":"a","data":"1"},
              {"channel":"{{two}}","name":"b","data":"2"},
              {"channel":"{{one}}","name":"c","data":"3"}
            ]}
            """));

        Assert.Equal(Frames.Event("a", one, "1"), await onOne.Next());
        Assert.Equal(Frames.Event("c", one, "3"), await onOne.Next());
        Assert.Equal(Frames.Event("b", two, "2"), await onTwo.Next());
    }

    [Fact]
    public async Task Batch_of_more_than_10_events_is_refused_with_400()
    {
        var channel = Names.Unique("ev-");
        await using var client = await Subscriber(channel);
        var batch = JsonSerializer.Serialize(new
        {
            batch = Enumerable.Range(1, 11).Select(i => new { channel, name = "n", data = i.ToString() }),
        });

        ApiAssert.IsError(await _api.Post("/batch_events", batch), 400, "Cannot batch-send more than 10 messages at once");
        await client.AssertSilent();
    }

    [Fact]
    public async Task Batch_of_exactly_10_events_is_accepted()
    {
        var channel = Names.Unique("ev-");
        await using var client = await Subscriber(channel);
        var batch = JsonSerializer.Serialize(new
        {
            batch = Enumerable.Range(1, 10).Select(i => new { channel, name = "n", data = i.ToString() }),
        });

        ApiAssert.IsOk(await _api.Post("/batch_events", batch));

        for (var i = 1; i <= 10; i++)
        {
            Assert.Equal(Frames.Event("n", channel, i.ToString()), await client.Next());
        }
    }

    public void Dispose() => _api.Dispose();
}
