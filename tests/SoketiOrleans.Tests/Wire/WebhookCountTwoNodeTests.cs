using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// Two processes, one cluster: <c>subscription_count</c> and <c>cache_miss</c> are raised once by
/// the channel's grain, not once per node. Each step waits for its webhook, so every count change is
/// one report; the last step's webhook comes after all others from the same grain and queue, and
/// the whole sequence up to it is compared, so a duplicate (or a missing event) fails the test.
/// </summary>
public abstract class WebhookCountTwoNodeTests(WebhookCountTwoNodeTests.Fixture fixture)
{
    private const string Path = "/counts";

    private static string Occupied(string channel) => $$"""{"name":"channel_occupied","channel":"{{channel}}"}""";

    private static string Vacated(string channel) => $$"""{"name":"channel_vacated","channel":"{{channel}}"}""";

    private static string Count(string channel, int count) =>
        $$"""{"name":"subscription_count","channel":"{{channel}}","subscription_count":{{count}}}""";

    private static string CacheMiss(string channel) => $$"""{"name":"cache_miss","channel":"{{channel}}"}""";

    /// <summary>Adds what the last step raised, waits until the channel has had that many webhook events, then compares all of them, in order.</summary>
    private async Task Then(string channel, List<string> expected, params string[] raised)
    {
        expected.AddRange(raised);
        await fixture.Receiver.WaitForEvents(Path, channel, expected.Count);
        Assert.Equal(expected, fixture.Receiver.Events(Path, channel).Select(e => e.GetRawText()));
    }

    private static async Task<RawPusherClient> SubscribedOn(ServerProcess node, string channel)
    {
        var client = await RawPusherClient.Connect(node.WebSocketUri());
        await client.SubscribePublic(channel);
        return client;
    }

    [Fact]
    public async Task Each_change_of_the_cluster_wide_count_is_one_subscription_count_webhook_with_sockets_on_both_nodes()
    {
        var channel = Names.Unique("counted-");
        var expected = new List<string>();
        await using var a1 = await SubscribedOn(fixture.A, channel);
        await Then(channel, expected, Occupied(channel), Count(channel, 1));
        await using var b1 = await SubscribedOn(fixture.B, channel);
        await Then(channel, expected, Count(channel, 2));
        await using var a2 = await SubscribedOn(fixture.A, channel);
        await Then(channel, expected, Count(channel, 3));
        await using var b2 = await SubscribedOn(fixture.B, channel);
        await Then(channel, expected, Count(channel, 4));

        await b1.Unsubscribe(channel);
        await Then(channel, expected, Count(channel, 3));
        await a1.Unsubscribe(channel);
        await Then(channel, expected, Count(channel, 2));
        await b2.DisposeAsync(); // a closed socket leaves too
        await Then(channel, expected, Count(channel, 1));
        await a2.Unsubscribe(channel);
        await Then(channel, expected, Vacated(channel));
    }

    [Fact]
    public async Task Each_subscriber_welcomed_on_either_node_without_a_cached_event_is_one_cache_miss_webhook()
    {
        var channel = Names.Unique("cache-counted-");
        var expected = new List<string> { Occupied(channel) };
        var clients = new List<RawPusherClient>();
        try
        {
            foreach (var node in new[] { fixture.A, fixture.B, fixture.A, fixture.B })
            {
                clients.Add(await SubscribedOn(node, channel));
                Assert.Equal(Frames.CacheMiss(channel), await clients[^1].Next());
                // The gateway reports the socket (the count), then asks the grain to welcome it (the miss).
                await Then(channel, expected, Count(channel, clients.Count), CacheMiss(channel));
            }

            // A later event from the same grain: no cache_miss may come before it that was not expected.
            await clients[1].Unsubscribe(channel);
            await Then(channel, expected, Count(channel, 3));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    public class Fixture : WebhookServerFixture
    {
        protected override int Count => 2;

        protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
        {
            ["SOKETI_DEFAULT_APP_WEBHOOKS"] = $$"""
                [{"url":"{{Receiver.Url(Path)}}","event_types":["channel_occupied","channel_vacated","subscription_count","cache_miss"]}]
                """,
        };
    }
}

/// <summary>Run against two processes of a <c>local</c> mode cluster.</summary>
public sealed class LocalWebhookCountTwoNodeTests(WebhookCountTwoNodeTests.Fixture fixture) : WebhookCountTwoNodeTests(fixture), IClassFixture<WebhookCountTwoNodeTests.Fixture>;
