using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

public sealed class WebhookTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>, IDisposable
{
    /// <summary>Longer than a few retries at the fixture's 100–200 ms schedule.</summary>
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(700);

    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    private WebhookReceiver Receiver => fixture.Receiver;

    private Task<RawPusherClient> Connect() => RawPusherClient.Connect(fixture.Server.WebSocketUri());

    private static string Raw(IEnumerable<JsonElement> events) => "[" + string.Join(",", events.Select(e => e.GetRawText())) + "]";

    [Fact]
    public async Task Occupied_count_and_vacated_arrive_once_each_signed_with_the_configured_headers()
    {
        var channel = Names.Unique("news-");
        await using (var client = await Connect())
        {
            await client.SubscribePublic(channel);
            await client.Unsubscribe(channel);
            await client.ExpectPong();
        }

        var events = await Receiver.WaitForEvents("/all", channel, 3);
        Assert.Equal(
            $$"""[{"name":"channel_occupied","channel":"{{channel}}"},{"name":"subscription_count","channel":"{{channel}}","subscription_count":1},{"name":"channel_vacated","channel":"{{channel}}"}]""",
            Raw(events));

        var requests = Receiver.On("/all").Where(r => r.Body.Contains(channel, StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, requests.Length);
        Assert.All(requests, r =>
        {
            Assert.True(r.IsSignedWith("app-key", "app-secret"), r.Body);
            Assert.Equal("application/json", r.Headers["Content-Type"]);
            Assert.Equal("custom-1", r.Headers["X-Custom"]);
            var body = JsonDocument.Parse(r.Body).RootElement;
            Assert.Equal(["time_ms", "events"], body.EnumerateObject().Select(p => p.Name));
            Assert.InRange(body.GetProperty("time_ms").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        });
    }

    [Fact]
    public async Task Members_and_client_events_on_presence_channels_carry_the_user()
    {
        var channel = Names.Unique("presence-room-");
        await using var ann = await Connect();
        await using var bob = await Connect();
        await ann.SubscribePresence(_api.Signer, channel, """{"user_id":"ann"}""");
        await bob.SubscribePresence(_api.Signer, channel, """{"user_id":"bob"}""");
        await ann.WaitFor("pusher_internal:member_added", channel);
        await ann.Send(new { @event = "client-wave", channel, data = new { hi = 1 } });
        await bob.WaitFor("client-wave", channel);
        await bob.Unsubscribe(channel);

        var events = await Receiver.WaitForEvents("/all", channel, 5);
        Assert.Equal(
            $$"""[{"name":"channel_occupied","channel":"{{channel}}"},{"name":"member_added","channel":"{{channel}}","user_id":"ann"},{"name":"member_added","channel":"{{channel}}","user_id":"bob"},{"name":"client_event","channel":"{{channel}}","event":"client-wave","data":{"hi":1},"socket_id":"{{ann.SocketId}}","user_id":"ann"},{"name":"member_removed","channel":"{{channel}}","user_id":"bob"}]""",
            Raw(events));
    }

    [Fact]
    public async Task Client_events_on_private_channels_have_no_user_and_arrive_once()
    {
        var channel = Names.Unique("private-chat-");
        await using var one = await Connect();
        await using var two = await Connect();
        await one.SubscribePrivate(_api.Signer, channel);
        await two.SubscribePrivate(_api.Signer, channel);
        await one.Send(new { @event = "client-typing", channel, data = "yes" });
        await two.WaitFor("client-typing", channel);

        await Receiver.WaitForEvents("/all", channel, 4);
        await Task.Delay(Silence);
        var clientEvents = Receiver.Events("/all", channel).Where(e => e.GetProperty("name").GetString() == "client_event");
        Assert.Equal($$"""[{"name":"client_event","channel":"{{channel}}","event":"client-typing","data":"yes","socket_id":"{{one.SocketId}}"}]""", Raw(clientEvents));
    }

    [Fact]
    public async Task A_subscriber_to_an_empty_cache_channel_raises_cache_miss()
    {
        var channel = Names.Unique("cache-");
        await using var client = await Connect();
        await client.SubscribePublic(channel);
        Assert.Equal(CacheChannelTests.CacheMiss(channel), await client.Next());

        var events = await Receiver.WaitForEvents("/all", channel, 3);
        Assert.Contains($$"""{"name":"cache_miss","channel":"{{channel}}"}""", events.Select(e => e.GetRawText()));
    }

    [Fact]
    public async Task A_receiver_answering_500_gets_the_same_signed_body_again()
    {
        var channel = Names.Unique("flaky-");
        await using var client = await Connect();
        await client.SubscribePublic(channel);

        await Eventually.Get(() => Task.FromResult(Receiver.On("/flaky")), r => r.Count >= 2, "the retry");
        await Task.Delay(Silence);
        var requests = Receiver.On("/flaky");
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.True(requests[1].IsSignedWith("app-key", "app-secret"));
        Assert.Contains(channel, requests[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_answering_400_is_not_asked_again()
    {
        await using var client = await Connect();
        await client.SubscribePublic(Names.Unique("refused-"));

        await Eventually.Get(() => Task.FromResult(Receiver.On("/refused")), r => r.Count >= 1, "the first attempt");
        await Task.Delay(Silence);
        Assert.Single(Receiver.On("/refused"));
    }

    [Fact]
    public async Task A_receiver_that_always_answers_500_is_given_up_on_after_giveUpAfter_with_a_warning()
    {
        await using var client = await Connect();
        await client.SubscribePublic(Names.Unique("down-"));

        // Attempts at about 0, 100, 300, 500, … ms; none may start 2 s after the first.
        var url = Receiver.Url("/down");
        var gaveUp = await Eventually.Get(
            () => Task.FromResult(fixture.Server.Output),
            o => o.Contains($"to {url} failed with HTTP 500 after", StringComparison.Ordinal),
            "the give-up warning",
            TimeSpan.FromSeconds(5));
        var attempts = Receiver.On("/down").Count;
        Assert.InRange(attempts, 3, 11);
        Assert.Matches($@"warn: .*Webhook for app app-id to {Regex.Escape(url)} failed with HTTP 500 after {attempts} attempts over .*; giving up \(1 events dropped\)", gaveUp);
        await Task.Delay(Silence);
        Assert.Equal(attempts, Receiver.On("/down").Count);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_delays_neither_events_nor_other_webhooks()
    {
        var channel = Names.Unique("hang-");
        await using var client = await Connect();
        await client.SubscribePublic(channel);
        await Eventually.Get(() => Task.FromResult(Receiver.On("/hang")), r => r.Count >= 1, "the hanging receiver to be called");

        var clock = Stopwatch.StartNew();
        ApiAssert.IsOk(await _api.Trigger(channel, "still-flowing", "1"));
        Assert.Equal($$"""{"event":"still-flowing","channel":"{{channel}}","data":"1"}""", await client.Next());
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromMilliseconds(250)); // well under the 300 ms webhook timeout
        await Receiver.WaitForEvents("/all", channel, 2, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Filters_pick_channels_by_prefix_and_suffix()
    {
        var (match, wrongEnd, wrongStart) = (Names.Unique("private-a-") + "-f", Names.Unique("private-b-") + "-g", Names.Unique("public-c-") + "-f");
        await using var client = await Connect();
        await client.SubscribePrivate(_api.Signer, match);
        await client.SubscribePrivate(_api.Signer, wrongEnd);
        await client.SubscribePublic(wrongStart);

        await Receiver.WaitForEvents("/all", wrongStart, 1);
        await Receiver.WaitForEvents("/filtered", match, 1);
        await Task.Delay(Silence);
        Assert.Equal([match], Receiver.On("/filtered").SelectMany(r => r.Events).Select(e => e.GetProperty("channel").GetString()));
    }

    public void Dispose() => _api.Dispose();
}
