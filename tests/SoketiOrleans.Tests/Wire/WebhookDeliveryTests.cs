using System.Text.RegularExpressions;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// How a webhook is retried (429, no answer in time, connection refused) or not (other answers),
/// read at the receiver and in the server's warnings. Each scenario has its own destination, picked
/// by a channel-name filter. A destination sends one request at a time and waits for its outcome
/// before the next, so once a later event of the channel has arrived, no earlier one can still be
/// retried: that, not a fixed wait, is how "sent once" is proven.
/// </summary>
public sealed partial class WebhookDeliveryTests(WebhookDeliveryTests.Fixture fixture) : IClassFixture<WebhookDeliveryTests.Fixture>
{
    /// <summary>
    /// Ten times the slow receiver's answer time: in a full parallel suite on two cores, the 200 ms
    /// answer once took longer than a 1000 ms timeout to arrive.
    /// </summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(2000);
    private static readonly TimeSpan InitialDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(800);

    /// <summary>
    /// With the delays above, retries of a receiver that fails at once start about 100, 300, 700,
    /// 1500 and 2300 ms after the first attempt; the one after would start at 3100. Delays only grow
    /// on a busy machine, so what matters is the retry decided last (at about 1500 ms, 1500 + 800
    /// ≤ 3000): it is 700 ms from its threshold. The slow receiver's retry (after one timeout, at
    /// about 2100 ms) is 900 ms from it.
    /// </summary>
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMilliseconds(3000);

    private static readonly TimeSpan SlowAnswer = TimeSpan.FromMilliseconds(200);

    private WebhookReceiver Receiver => fixture.Receiver;

    /// <summary>The waits before each retry of a receiver that always fails at once: doubling, capped, while the retry would start within giveUpAfter.</summary>
    private static IReadOnlyList<TimeSpan> RetrySchedule()
    {
        var delays = new List<TimeSpan>();
        var elapsed = TimeSpan.Zero;
        for (var delay = InitialDelay; elapsed + delay <= GiveUpAfter; delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay)
        {
            delays.Add(delay);
            elapsed += delay;
        }

        return delays;
    }

    /// <summary>channel_occupied, then channel_vacated queued behind it on the same destination.</summary>
    private async Task OccupyAndVacate(string channel)
    {
        await using var client = await RawPusherClient.Connect(fixture.Server.WebSocketUri());
        await client.SubscribePublic(channel);
        await client.Unsubscribe(channel);
        await client.ExpectPong();
    }

    /// <summary>Every request for <paramref name="channel"/> on <paramref name="path"/> up to the one carrying channel_vacated, as the event name each carried.</summary>
    private async Task<IReadOnlyList<WebhookRequest>> RequestsUntilVacated(string path, string channel)
    {
        var requests = await Eventually.Get(
            () => Task.FromResult<IReadOnlyList<WebhookRequest>>(Receiver.On(path).Where(r => r.Body.Contains(channel, StringComparison.Ordinal)).ToArray()),
            r => r.Any(request => request.Body.Contains("channel_vacated", StringComparison.Ordinal)),
            $"channel_vacated of {channel} on {path}");
        Assert.All(requests, r => Assert.Single(r.Events));
        return requests;
    }

    private static string[] EventNames(IEnumerable<WebhookRequest> requests) =>
        requests.Select(r => r.Events[0].GetProperty("name").GetString()!).ToArray();

    /// <summary>The server's warnings about one destination, in order, from the message on, without a retry's time since the first attempt (WebhookTests checks it).</summary>
    private string[] Warnings(string url) =>
        fixture.Server.Output.Split('\n')
            .Where(line => line.Contains($" to {url} ", StringComparison.Ordinal))
            .Select(line => SinceFirst().Replace(line[line.IndexOf("Webhook for app", StringComparison.Ordinal)..].TrimEnd(), ""))
            .ToArray();

    /// <summary>
    /// The warnings once one has been logged: the console logger writes on its own thread, so a line
    /// can reach this process after the request that followed it reached the receiver.
    /// </summary>
    private Task<string[]> LoggedWarnings(string url) =>
        Eventually.Get(() => Task.FromResult(Warnings(url)), w => w.Length > 0, $"a warning for {url}");

    [GeneratedRegex(@" \([0-9:.]+ since the first attempt\)$")]
    private static partial Regex SinceFirst();

    private static string Retrying(string url, string status, int attempt, TimeSpan delay) =>
        $"Webhook for app app-id to {url} failed with {status} (attempt {attempt}); retrying in {delay}";

    [Fact]
    public async Task A_receiver_answering_429_gets_the_same_signed_body_again_and_the_event_is_delivered_once()
    {
        var channel = Names.Unique("too-many-");

        await OccupyAndVacate(channel);

        var requests = await RequestsUntilVacated("/too-many", channel);
        Assert.Equal(["channel_occupied", "channel_occupied", "channel_vacated"], EventNames(requests));
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.True(requests[1].IsSignedWith("app-key", "app-secret"));
        Assert.Equal([Retrying(Receiver.Url("/too-many"), "HTTP 429", 1, InitialDelay)], await LoggedWarnings(Receiver.Url("/too-many")));
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_within_the_timeout_is_retried_and_a_slow_but_timely_answer_delivers_once()
    {
        var channel = Names.Unique("slow-");

        await OccupyAndVacate(channel);

        var requests = await RequestsUntilVacated("/slow", channel);
        Assert.Equal(["channel_occupied", "channel_occupied", "channel_vacated"], EventNames(requests));
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Equal(
            [Retrying(Receiver.Url("/slow"), $"no answer within {Timeout.TotalMilliseconds} ms", 1, InitialDelay)],
            await LoggedWarnings(Receiver.Url("/slow")));
    }

    [Theory]
    [InlineData(302)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task A_receiver_answering_another_4xx_or_3xx_is_not_asked_again_and_the_next_event_follows(int status)
    {
        var channel = Names.Unique($"refuse{status}-");

        await OccupyAndVacate(channel);

        var path = $"/refuse-{status}";
        Assert.Equal(["channel_occupied", "channel_vacated"], EventNames(await RequestsUntilVacated(path, channel)));
        Assert.Equal(
            [$"Webhook for app app-id to {Receiver.Url(path)} refused with HTTP {status}; not retried (1 events dropped)"],
            await LoggedWarnings(Receiver.Url(path)));
    }

    [Fact]
    public async Task A_url_where_nothing_listens_is_retried_on_the_doubling_schedule_and_given_up_after_giveUpAfter()
    {
        var url = fixture.DeadUrl;
        var schedule = RetrySchedule();
        Assert.Equal([100, 200, 400, 800, 800], schedule.Select(d => d.TotalMilliseconds)); // the fixture's settings give 6 attempts

        await using (var client = await RawPusherClient.Connect(fixture.Server.WebSocketUri()))
        {
            await client.SubscribePublic(Names.Unique("dead-"));
        }

        var warnings = await Eventually.Get(
            () => Task.FromResult(Warnings(url)),
            w => w.Any(line => line.Contains("giving up", StringComparison.Ordinal)),
            "the give-up warning",
            GiveUpAfter + TimeSpan.FromSeconds(5));
        Assert.Equal(schedule.Select((delay, i) => Retrying(url, "ConnectionError", i + 1, delay)), warnings[..^1]);
        var gaveUp = Regex.Match(warnings[^1],
            $@"^Webhook for app app-id to {Regex.Escape(url)} failed with ConnectionError after {schedule.Count + 1} attempts over (?<elapsed>[0-9:.]+); giving up \(1 events dropped\)$");
        Assert.True(gaveUp.Success, warnings[^1]);
        // The last attempt started after every back-off wait, and no retry started after giveUpAfter.
        Assert.InRange(TimeSpan.Parse(gaveUp.Groups["elapsed"].Value), schedule.Aggregate(TimeSpan.Zero, (a, b) => a + b), GiveUpAfter);
    }

    public sealed class Fixture : WebhookServerFixture
    {
        private static readonly int[] Refusals = [302, 404, 422];

        /// <summary>A loopback port nobody listens on: every attempt is refused at once.</summary>
        public string DeadUrl { get; } = $"http://127.0.0.1:{FreePort.Next()}/dead";

        public Fixture()
        {
            Receiver.Answer("/too-many", attempt => attempt == 1 ? 429 : 200);
            Receiver.Answer("/slow", attempt => attempt == 1 ? null : 200);
            Receiver.AnswerAfter("/slow", SlowAnswer); // well within the timeout
            foreach (var status in Refusals)
            {
                Receiver.Answer($"/refuse-{status}", attempt => attempt == 1 ? status : 200);
            }
        }

        protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
        {
            ["SOKETI_WEBHOOKS_TIMEOUT"] = Timeout.TotalMilliseconds.ToString(),
            ["SOKETI_WEBHOOKS_RETRY_INITIAL_DELAY"] = InitialDelay.TotalMilliseconds.ToString(),
            ["SOKETI_WEBHOOKS_RETRY_MAX_DELAY"] = MaxDelay.TotalMilliseconds.ToString(),
            ["SOKETI_WEBHOOKS_RETRY_GIVE_UP_AFTER"] = GiveUpAfter.TotalMilliseconds.ToString(),
            ["SOKETI_DEFAULT_APP_WEBHOOKS"] = $"[{string.Join(",", Destinations)}]",
        };

        private IEnumerable<string> Destinations =>
        [
            Destination(Receiver.Url("/too-many"), "too-many-"),
            Destination(Receiver.Url("/slow"), "slow-"),
            Destination(DeadUrl, "dead-", """["channel_occupied"]"""),
            .. Refusals.Select(status => Destination(Receiver.Url($"/refuse-{status}"), $"refuse{status}-")),
        ];

        private static string Destination(string url, string channelPrefix, string eventTypes = """["channel_occupied","channel_vacated"]""") =>
            $$$"""{"url":"{{{url}}}","event_types":{{{eventTypes}}},"filter":{"channel_name_starts_with":"{{{channelPrefix}}}"}}""";
    }
}
