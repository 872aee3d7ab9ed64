using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>Two processes, one cluster: each webhook is sent once, whichever gateways the sockets use.</summary>
public sealed class WebhookTwoNodeTests(WebhookTwoNodeTests.Fixture fixture) : IClassFixture<WebhookTwoNodeTests.Fixture>, IDisposable
{
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(700);

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
        await Task.Delay(Silence);
        Assert.Equal("channel_occupied,channel_vacated", WebhookReceiver.Names(Receiver.Events("/hook", channel)));
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
        await bobOnB.WaitFor("client-hi", channel);
        await annOnB.WaitFor("client-hi", channel);
        await annOnA.Unsubscribe(channel);
        await annOnB.Unsubscribe(channel);
        await bobOnB.Unsubscribe(channel);

        await Receiver.WaitForEvents("/hook", channel, 7);
        await Task.Delay(Silence);
        var events = Receiver.Events("/hook", channel);
        // Member events come from the presence grain, occupied/vacated from the channel grain, each
        // in its own order; the two may interleave (they can live on different silos).
        Assert.Equal("channel_occupied,channel_vacated,client_event,member_added,member_added,member_removed,member_removed",
            string.Join(",", events.Select(e => e.GetProperty("name").GetString()).Order(StringComparer.Ordinal)));
        string[] Users(string name) => events.Where(e => e.GetProperty("name").GetString() == name).Select(e => e.GetProperty("user_id").GetString()!).ToArray();
        Assert.Equal(["ann", "bob"], Users("member_added"));
        Assert.Equal(["ann", "bob"], Users("member_removed").Order()); // the two leaving sockets race each other
    }

    public void Dispose() => _api.Dispose();

    public sealed class Fixture : TwoNodeFixture, IAsyncLifetime
    {
        public WebhookReceiver Receiver { get; } = new();

        protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
        {
            ["SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES"] = "true",
            ["SOKETI_DEFAULT_APP_WEBHOOKS"] = $$"""
                [{"url":"{{Receiver.Url("/hook")}}","event_types":["channel_occupied","channel_vacated","member_added","member_removed","client_event"]}]
                """,
        };

        Task IAsyncLifetime.InitializeAsync() => InitializeAsync();

        async Task IAsyncLifetime.DisposeAsync()
        {
            await DisposeAsync();
            await Receiver.DisposeAsync();
        }
    }
}
