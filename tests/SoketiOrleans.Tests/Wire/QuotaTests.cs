using System.Diagnostics;
using System.Net.WebSockets;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>Per-app limits count for the whole cluster: the sum over both nodes is what is limited.</summary>
public abstract class QuotaTests(QuotaClusterFixture fixture)
{
    private static readonly TimeSpan RateWindowLength = TimeSpan.FromSeconds(1);

    private static string TooMany(string what, int limit) =>
        $$"""{"error":"The {{what}} rate limit of {{limit}} per second was exceeded.","code":429}""";

    private static PusherApi Api(ServerProcess node, string appId) => new(node.HttpUri, PusherSigner.Named(appId));

    private static string Event(params string[] channels) =>
        $$"""{"name":"e","data":"d","channels":[{{string.Join(",", channels.Select(c => $"\"{c}\""))}}]}""";

    /// <summary>
    /// Runs requests that must fall into one rate-limit window (it starts with the first of them, as
    /// nothing else uses the app). The window opens after the clock starts and every request was
    /// counted before its answer came back, so under one window length they all fell into it; a few
    /// loopback requests take milliseconds, so taking a second is a finding, not something to retry.
    /// </summary>
    private static async Task<T> InOneWindow<T>(Func<Task<T>> requests)
    {
        var clock = Stopwatch.StartNew();
        var result = await requests();
        Assert.True(clock.Elapsed < RateWindowLength, $"the requests took {clock.Elapsed}, too long to be sure they fell into one window");
        return result;
    }

    private static async Task<RawPusherClient?> TryConnect(ServerProcess node)
    {
        var client = await RawPusherClient.Open(node.WebSocketUri("conns-key"));
        if ((await client.NextJson()).GetProperty("event").GetString() == "pusher:connection_established")
        {
            return client;
        }

        await client.DisposeAsync();
        return null;
    }

    [Fact]
    public async Task Connections_over_the_cluster_wide_limit_get_4004_on_either_node_until_one_closes()
    {
        var onA1 = await RawPusherClient.Connect(fixture.A.WebSocketUri("conns-key"));
        await using var onA2 = await RawPusherClient.Connect(fixture.A.WebSocketUri("conns-key"));
        await using var onB = await RawPusherClient.Connect(fixture.B.WebSocketUri("conns-key"));

        foreach (var node in new[] { fixture.A, fixture.B })
        {
            await using var refused = await RawPusherClient.Open(node.WebSocketUri("conns-key"));
            Assert.Equal(Frames.OverQuota, await refused.Next());
            Assert.Equal((WebSocketCloseStatus)4004, (await refused.WaitForClose()).Status);
        }

        await onA1.DisposeAsync();
        await using var admitted = await Eventually.Get(() => TryConnect(fixture.B), c => c is not null, "a connection admitted after one closed");

        await using var refusedAgain = await RawPusherClient.Open(fixture.A.WebSocketUri("conns-key"));
        Assert.Equal(Frames.OverQuota, await refusedAgain.Next());
    }

    [Fact]
    public async Task Backend_event_points_are_channels_summed_over_both_nodes_and_one_over_gets_429()
    {
        using var apiA = Api(fixture.A, "backend");
        using var apiB = Api(fixture.B, "backend");
        // What the first requests would otherwise set up inside the window, without spending points:
        // both HTTP connections (reads are unlimited for this app) and the channels' grains.
        Assert.Equal(200, (await apiA.Get("/channels")).Status);
        Assert.Equal(200, (await apiB.Get("/channels")).Status);
        await using var subscriber = await RawPusherClient.Connect(fixture.A.WebSocketUri("backend-key"));
        foreach (var channel in new[] { "a", "b", "c", "d", "e", "f", "g" })
        {
            await subscriber.SubscribePublic(channel);
        }

        var statuses = await InOneWindow(async () => new[]
        {
            await apiA.Post("/events", Event("a", "b")),
            await apiB.Post("/batch_events", $$"""{"batch":[{{Event("c", "d")}},{{Event("e")}}]}"""),
            await apiA.Post("/events", Event("f")),
            await apiB.Post("/events", Event("g")),
        });

        Assert.Equal(
            [(200, """{"ok":true}"""), (200, """{"ok":true}"""), (200, """{"ok":true}"""), (429, TooMany("backend events", QuotaClusterFixture.MaxBackendEvents))],
            statuses);
    }

    [Fact]
    public async Task Read_requests_at_the_limit_pass_across_both_nodes_and_one_over_gets_429()
    {
        using var apiA = Api(fixture.A, "reads");
        using var apiB = Api(fixture.B, "reads");
        // What the first requests would otherwise set up inside the window (in a CI run seven cold
        // ones took 1.02 s), without spending read points: the same number of HTTP connections, at
        // once, with requests refused before the limit counts them.
        var refused = await Task.WhenAll(Enumerable.Range(0, QuotaClusterFixture.MaxReads + 1)
            .Select(i => (i % 2 == 0 ? apiA : apiB).Get("/channels/some-channel", new Dictionary<string, string> { ["info"] = "cache" })));
        Assert.All(refused, r => Assert.Equal(400, r.Status));

        var answers = await InOneWindow(() => Task.WhenAll(Enumerable.Range(0, QuotaClusterFixture.MaxReads + 1)
            .Select(i => (i % 2 == 0 ? apiA : apiB).Get(i % 3 == 0 ? "/channels" : "/channels/some-channel"))));

        Assert.Equal(QuotaClusterFixture.MaxReads, answers.Count(a => a.Status == 200));
        Assert.Equal([(429, TooMany("read requests", QuotaClusterFixture.MaxReads))], answers.Where(a => a.Status != 200));
    }

    [Fact]
    public async Task A_flooded_app_is_limited_while_other_apps_are_served_promptly_on_both_nodes()
    {
        var flood = TimeSpan.FromSeconds(2);
        // Generous for a 2-core machine running both nodes, the flooders and the test; a starved app waits far longer.
        var prompt = TimeSpan.FromSeconds(2);
        await using var subscriber = await RawPusherClient.Connect(fixture.B.WebSocketUri("calm-key"));
        await subscriber.SubscribePublic("calm-channel");
        using var calmA = Api(fixture.A, "calm");
        using var calmB = Api(fixture.B, "calm");

        // The calm path is warm before the flood starts, so what is measured is the flood's effect.
        Assert.Equal((200, """{"ok":true}"""), await calmA.Trigger("calm-channel", "warm", "w"));
        Assert.Equal("""{"event":"warm","channel":"calm-channel","data":"w"}""", await subscriber.Next());
        Assert.Equal(200, (await calmB.Get("/channels")).Status);

        var clock = Stopwatch.StartNew();
        var flooders = new[] { fixture.A, fixture.B, fixture.A, fixture.B }.Select(async node =>
        {
            using var api = Api(node, "flood");
            var (eventsOk, readsOk, refused) = (0, 0, 0);
            while (clock.Elapsed < flood)
            {
                var posted = await api.Post("/events", Event("flooded"));
                var read = await api.Get("/channels");
                eventsOk += posted.Status == 200 ? 1 : 0;
                readsOk += read.Status == 200 ? 1 : 0;
                refused += (posted.Status == 429 ? 1 : 0) + (read.Status == 429 ? 1 : 0);
            }

            return (eventsOk, readsOk, refused);
        }).ToList();

        for (var i = 0; clock.Elapsed < flood; i++)
        {
            var sent = Stopwatch.StartNew();
            Assert.Equal((200, """{"ok":true}"""), await calmA.Trigger("calm-channel", "calm", i.ToString()));
            Assert.Equal($$"""{"event":"calm","channel":"calm-channel","data":"{{i}}"}""", await subscriber.Next(prompt));
            Assert.Equal(200, (await calmB.Get("/channels")).Status);
            Assert.True(sent.Elapsed < prompt, $"the calm app waited {sent.Elapsed} during the flood");
        }

        var results = await Task.WhenAll(flooders);
        // Windows start with the first request after the last one ended, so the flood spans at most this many.
        var windows = (int)Math.Ceiling(clock.Elapsed / RateWindowLength) + 1;
        Assert.InRange(results.Sum(r => r.eventsOk), 1, QuotaClusterFixture.FloodLimit * windows);
        Assert.InRange(results.Sum(r => r.readsOk), 1, QuotaClusterFixture.FloodLimit * windows);
        Assert.True(results.Sum(r => r.refused) > 0);
    }
}

/// <summary>Run against two processes of a <c>local</c> mode cluster.</summary>
public sealed class LocalQuotaTests(QuotaClusterFixture fixture) : QuotaTests(fixture), IClassFixture<QuotaClusterFixture>;
