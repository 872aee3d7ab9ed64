using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>Two processes, one cluster: each webhook is sent once, whichever gateways the sockets use.</summary>
public abstract class WebhookTwoNodeTests(WebhookTwoNodeTests.Fixture fixture) : IDisposable
{
    private readonly PusherApi _api = new(fixture.A.HttpUri);

    private WebhookReceiver Receiver => fixture.Receiver;

    [Fact]
    public async Task Occupied_and_vacated_arrive_once_when_subscribers_on_both_nodes_leave_in_the_other_order()
    {
        var channel = Names.Unique("shared-");
        var onA = await RawPusherClient.Connect(fixture.A.WebSocketUri());
        await using var onB = await RawPusherClient.Connect(fixture.B.WebSocketUri());
        await onA.SubscribePublic(channel);
        await onB.SubscribePublic(channel);
        await onA.DisposeAsync(); // the first subscriber leaves first
        await onB.Unsubscribe(channel);
        await Receiver.WaitForEvents("/hook", channel, 2);

        // The channel's events come from its one grain, in order: a later one proves there was no second vacated.
        await onB.SubscribePublic(channel);
        Assert.Equal("channel_occupied,channel_vacated,channel_occupied", WebhookReceiver.Names(await Receiver.WaitForEvents("/hook", channel, 3)));
    }

    [Fact]
    public async Task Members_are_announced_once_per_user_across_nodes_and_client_events_once()
    {
        var channel = Names.Unique("presence-shared-");
        await using var annOnA = await RawPusherClient.Connect(fixture.A.WebSocketUri());
        await using var annOnB = await RawPusherClient.Connect(fixture.B.WebSocketUri());
        await using var bobOnB = await RawPusherClient.Connect(fixture.B.WebSocketUri());
        await annOnA.SubscribePresence(_api.Signer, channel, """{"user_id":"ann"}""");
        await annOnB.SubscribePresence(_api.Signer, channel, """{"user_id":"ann"}""");
        await bobOnB.SubscribePresence(_api.Signer, channel, """{"user_id":"bob"}""");
        await annOnA.WaitFor("pusher_internal:member_added", channel);
        await annOnA.Send(new { @event = "client-hi", channel, data = "1" });
        await annOnA.Send(new { @event = "client-bye", channel, data = "2" }); // queued behind client-hi on A
        await bobOnB.WaitFor("client-bye", channel);
        await annOnA.Unsubscribe(channel);
        await annOnB.Unsubscribe(channel);
        await bobOnB.Unsubscribe(channel);
        await Receiver.WaitForEvents("/hook", channel, 8);

        // Everything but client events comes from the channel's one grain, in order: a later member proves there were no repeats.
        await using var zed = await RawPusherClient.Connect(fixture.B.WebSocketUri());
        await zed.SubscribePresence(_api.Signer, channel, """{"user_id":"zed"}""");
        var events = await Receiver.WaitForEvents("/hook", channel, 10);
        string Show(JsonElement e) => e.GetProperty("name").GetString() + (e.TryGetProperty("user_id", out var id) ? ":" + id.GetString() : "");
        var fromGrain = events.Where(e => e.GetProperty("name").GetString() != "client_event").Select(Show).ToArray();
        Assert.Equal(["channel_occupied", "member_added:ann", "member_added:bob"], fromGrain[..3]);
        Assert.Equal(["member_removed:ann", "member_removed:bob"], fromGrain[3..5].Order()); // the two leaving sockets race each other
        Assert.Equal(["channel_vacated", "channel_occupied", "member_added:zed"], fromGrain[5..]);
        Assert.Equal(["client-hi", "client-bye"], events.Where(e => e.GetProperty("name").GetString() == "client_event").Select(e => e.GetProperty("event").GetString()));
    }

    public void Dispose() => _api.Dispose();

    public class Fixture : WebhookServerFixture
    {
        protected override int Count => 2;

        protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
        {
            ["SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES"] = "true",
            ["SOKETI_DEFAULT_APP_WEBHOOKS"] = $$"""
                [{"url":"{{Receiver.Url("/hook")}}","event_types":["channel_occupied","channel_vacated","member_added","member_removed","client_event"]}]
                """,
        };
    }
}

/// <summary>Run against two processes of a <c>local</c> mode cluster.</summary>
public sealed class LocalWebhookTwoNodeTests(WebhookTwoNodeTests.Fixture fixture) : WebhookTwoNodeTests(fixture), IClassFixture<WebhookTwoNodeTests.Fixture>;
