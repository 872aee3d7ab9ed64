using System.Text.RegularExpressions;
using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

public sealed class WebhookTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>, IDisposable
{
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

        // A later client event of the same socket is queued behind the first: once it arrived, a
        // second copy of the first would have too.
        await one.Send(new { @event = "client-marker", channel, data = "m" });
        await Eventually.Get(() => Task.FromResult(ClientEvents(channel)), e => e.Any(x => x.GetProperty("event").GetString() == "client-marker"), "the marker");
        Assert.Equal(
            $$"""[{"name":"client_event","channel":"{{channel}}","event":"client-typing","data":"yes","socket_id":"{{one.SocketId}}"},{"name":"client_event","channel":"{{channel}}","event":"client-marker","data":"m","socket_id":"{{one.SocketId}}"}]""",
            Raw(ClientEvents(channel)));
    }

    private IReadOnlyList<JsonElement> ClientEvents(string channel) =>
        Receiver.Events("/all", channel).Where(e => e.GetProperty("name").GetString() == "client_event").ToArray();

    /// <summary>
    /// Subscribes to a further channel that <paramref name="path"/>'s filter takes and waits for its
    /// request: one destination's batches are sent one after the other, so once it arrived nothing
    /// more of the earlier ones can.
    /// </summary>
    private async Task<WebhookRequest> Marker(RawPusherClient client, string prefix, string path)
    {
        var marker = Names.Unique(prefix);
        await client.SubscribePublic(marker);
        return (await Eventually.Get(
            () => Task.FromResult(Receiver.On(path)), r => r.Any(x => x.Body.Contains(marker, StringComparison.Ordinal)), $"the marker on {path}"))[^1];
    }

    [Fact]
    public async Task A_subscriber_to_an_empty_cache_channel_raises_cache_miss()
    {
        var channel = Names.Unique("cache-");
        await using var client = await Connect();
        await client.SubscribePublic(channel);
        Assert.Equal(Frames.CacheMiss(channel), await client.Next());

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
        await Marker(client, "flaky-", "/flaky");
        var requests = Receiver.On("/flaky");
        Assert.Equal(3, requests.Count); // the first attempt, its retry, the marker
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.True(requests[1].IsSignedWith("app-key", "app-secret"));
        Assert.Contains(channel, requests[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_answering_400_is_not_asked_again()
    {
        await using var client = await Connect();
        var channel = Names.Unique("refused-");
        await client.SubscribePublic(channel);

        await Eventually.Get(() => Task.FromResult(Receiver.On("/refused")), r => r.Count >= 1, "the first attempt");
        var marker = await Marker(client, "refused-", "/refused");
        Assert.Equal([channel, "marker"], Receiver.On("/refused").Select(r => r == marker ? "marker" : r.Events[0].GetProperty("channel").GetString()));
    }

    [Fact]
    public async Task A_receiver_that_always_answers_500_is_given_up_on_after_giveUpAfter_with_a_warning()
    {
        await using var client = await Connect();
        var channel = Names.Unique("down-");
        await client.SubscribePublic(channel);

        // Retries wait 100 ms, then 200 ms each (the fixture's initial and maximum delays), and none
        // may start later than 2 s (giveUpAfter) after the first attempt. The server logs each
        // decision with the time since the first attempt on its own clock, which is what it decides
        // by: the receiver's clock says when requests were handled, which a busy machine delays.
        var url = Receiver.Url("/down");
        var gaveUp = await Eventually.Get(
            () => Task.FromResult(fixture.Server.Output),
            o => o.Contains($"to {url} failed with HTTP 500 after", StringComparison.Ordinal),
            "the give-up warning",
            TimeSpan.FromSeconds(5));
        await Marker(client, "down-", "/down");
        var attempts = Receiver.On("/down").Count(r => r.Body.Contains(channel, StringComparison.Ordinal));
        const string failed = "failed with HTTP 500";
        var retries = Regex.Matches(gaveUp, $@"Webhook for app app-id to {Regex.Escape(url)} {failed} \(attempt (\d+)\); retrying in ([0-9:.]+) \(([0-9:.]+) since the first attempt\)")
            .Select(m => (Attempt: int.Parse(m.Groups[1].Value), Delay: TimeSpan.Parse(m.Groups[2].Value), Elapsed: TimeSpan.Parse(m.Groups[3].Value)))
            .Take(attempts - 1)
            .ToArray();
        Assert.Equal(Enumerable.Range(1, attempts - 1).Select(a => (a, Delay(a))), retries.Select(r => (r.Attempt, r.Delay)));
        var giveUpAfter = TimeSpan.FromSeconds(2);
        Assert.All(retries, r => Assert.True(r.Elapsed + r.Delay <= giveUpAfter, $"attempt {r.Attempt + 1} was to start {r.Elapsed + r.Delay} after the first"));
        var end = Regex.Match(gaveUp, $@"warn: .*Webhook for app app-id to {Regex.Escape(url)} {failed} after (\d+) attempts over ([0-9:.]+); giving up \(1 events dropped\)");
        Assert.True(end.Success, gaveUp);
        Assert.Equal(attempts, int.Parse(end.Groups[1].Value));
        var elapsed = TimeSpan.Parse(end.Groups[2].Value);
        Assert.True(elapsed + Delay(attempts) > giveUpAfter,
            $"gave up after {attempts} attempts over {elapsed}: another retry would have started {elapsed + Delay(attempts)} after the first, within giveUpAfter");
    }

    private static TimeSpan Delay(int retry) => TimeSpan.FromMilliseconds(Math.Min(100 * (1 << (retry - 1)), 200));

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
        var marker = Names.Unique("private-m-") + "-f";
        await client.SubscribePrivate(_api.Signer, marker);
        await Receiver.WaitForEvents("/filtered", marker, 1);
        Assert.Equal([match, marker], Receiver.On("/filtered").SelectMany(r => r.Events).Select(e => e.GetProperty("channel").GetString()));
    }

    public void Dispose() => _api.Dispose();
}
