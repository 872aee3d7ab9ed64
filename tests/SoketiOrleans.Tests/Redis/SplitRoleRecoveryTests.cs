using System.Diagnostics;
using System.Text.Json;
using SoketiOrleans.Tests.Harness;
using Xunit.Abstractions;
using SoketiOrleans.Tests.Recovery;
using static SoketiOrleans.Tests.Recovery.ClusterProbe;

namespace SoketiOrleans.Tests.Redis;

/// <summary>
/// Two <c>worker</c> processes (grains) and two <c>server</c> processes (gateways) against one Redis,
/// each test its own cluster: a worker or a server dies with SIGKILL while clients are connected to
/// both servers, and processes join at runtime.
/// </summary>
public sealed class SplitRoleRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int ChannelCount = 20;

    /// <summary>docs/recovery.md's bound for a silo's death.</summary>
    private static readonly TimeSpan SiloDeathExactWithin = TimeSpan.FromSeconds(10);

    /// <summary>The issue's bound for a gateway outside the silos: its lease (15 s) plus the ledger's check.</summary>
    private static readonly TimeSpan GatewayDeathExactWithin = TimeSpan.FromSeconds(30);

    private readonly WebhookReceiver _webhooks = new();
    private readonly PusherSigner _signer = new();
    private LocalCluster _cluster = null!;

    private ServerProcess ServerA => _cluster.Gateways[0];

    private ServerProcess ServerB => _cluster.Gateways[1];

    public async Task InitializeAsync() => _cluster = await LocalCluster.StartRedis(["worker", "worker", "server", "server"], new Dictionary<string, string>
    {
        ["SOKETI_WEBHOOKS_RETRY_INITIAL_DELAY"] = "100",
        ["SOKETI_DEFAULT_APP_WEBHOOKS"] = $$"""
            [{"url":"{{_webhooks.Url("/hooks")}}","event_types":["channel_occupied","channel_vacated","member_added","member_removed"]}]
            """,
    });

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _webhooks.DisposeAsync();
    }

    [Fact]
    public async Task A_killed_worker_takes_nothing_with_it_no_client_reconnects_and_nothing_acknowledged_is_lost()
    {
        using var apiA = new PusherApi(ServerA.HttpUri);
        using var apiB = new PusherApi(ServerB.HttpUri);
        var presence = Names("presence-w");
        var shared = Names("pub-w");
        await using var annOnA = await Connect(ServerA);
        await using var bobOnB = await Connect(ServerB);
        foreach (var channel in shared)
        {
            await annOnA.SubscribePublic(channel);
            await bobOnB.SubscribePublic(channel);
        }

        foreach (var (socket, user) in new[] { (annOnA, "ann"), (bobOnB, "bob") })
        {
            foreach (var channel in presence)
            {
                await socket.SubscribePresence(_signer, channel, Member(user));
            }
        }

        await Mark(apiA, "setup", presence.Concat(shared));
        await Until(annOnA, "setup", presence.Concat(shared));
        await Until(bobOnB, "setup", presence.Concat(shared));

        var publisher = BackendPublisher.Start([apiA, apiB], shared);
        await publisher.WaitForMore(2 * ChannelCount, "publishes before the kill");

        var sinceKill = Stopwatch.StartNew();
        await _cluster[1].Kill();

        // Every grain that lived in the dead worker is rebuilt from the two servers, which never left.
        // A read that outlasts the API's budget meanwhile is answered with the failover's 503 (its
        // body checked), as a busy machine can make the failover outlast it; any other answer fails.
        var expected = shared.Concat(presence).ToDictionary(ch => ch, _ => 2);
        await Eventually.Get(async () => (A: await ChannelCountsOrFailover(apiA), B: await ChannelCountsOrFailover(apiB), Users: await Task.WhenAll(presence.Select(ch => PresenceUsersOrFailover(apiB, ch)))),
            state => new[] { state.A, state.B }.All(found => found is not null && found.Count == expected.Count && expected.All(e => found.GetValueOrDefault(e.Key) == e.Value))
                && state.Users.All(users => users is not null && users.SequenceEqual(["ann", "bob"])),
            "GET /channels and every presence channel's users unchanged", TimeSpan.FromSeconds(30));
        var exact = sinceKill.Elapsed;

        // Publishing goes on after the kill: one request at a time, each waiting out a failover up to the API's budget.
        await publisher.WaitForMore(2 * ChannelCount, "publishes after the kill", TimeSpan.FromSeconds(30));
        await publisher.Stop();

        await Mark(apiB, "end", presence.Concat(shared));
        foreach (var frames in new[] { await Until(annOnA, "end", presence.Concat(shared)), await Until(bobOnB, "end", presence.Concat(shared)) })
        {
            Assert.DoesNotContain(frames, f => Event(f).StartsWith("pusher_internal:member_", StringComparison.Ordinal)); // nobody left
            foreach (var channel in shared)
            {
                publisher.AssertReceivedExactly(frames, channel);
            }
        }

        await annOnA.ExpectPong();
        await bobOnB.ExpectPong();

        // A rebuilt grain's snapshot is exact at once, and nothing was announced for the rebuild.
        await using var late = await Connect(ServerA);
        foreach (var channel in presence)
        {
            Assert.Equal(["ann", "bob", "late"], SnapshotIds(await late.SubscribePresence(_signer, channel, Member("late"))));
        }

        foreach (var channel in presence)
        {
            await Eventually.Get(() => Task.FromResult(_webhooks.Events("/hooks", channel)), e => e.Any(x => Is(x, "member_added", "late")), $"late joining {channel}");
            Assert.Equal("channel_occupied,member_added,member_added,member_added", WebhookReceiver.Names(_webhooks.Events("/hooks", channel)));
        }

        output.WriteLine($"exact {exact.TotalSeconds:F1} s after the worker's kill; {publisher}");
        Assert.True(exact < SiloDeathExactWithin, $"exact after {exact}, promised within {SiloDeathExactWithin}");
    }

    [Fact]
    public async Task A_killed_server_leaves_every_channel_once_within_its_lease()
    {
        using var apiA = new PusherApi(ServerA.HttpUri);
        var presence = Names("presence-s");
        var onlyOnB = Names("onlyb-");
        await using var annOnA = await Connect(ServerA);
        await using var bobOnB = await Connect(ServerB);
        foreach (var channel in onlyOnB)
        {
            await bobOnB.SubscribePublic(channel);
        }

        foreach (var (socket, user) in new[] { (annOnA, "ann"), (bobOnB, "bob") })
        {
            foreach (var channel in presence)
            {
                await socket.SubscribePresence(_signer, channel, Member(user));
            }
        }

        await Mark(apiA, "setup", presence);
        await Until(annOnA, "setup", presence);
        await _webhooks.WaitForEvents("/hooks", onlyOnB[^1], 1);

        var sinceKill = Stopwatch.StartNew();
        await ServerB.Kill();

        var removed = await Until(annOnA, "pusher_internal:member_removed", presence, GatewayDeathExactWithin);
        var membersLeft = sinceKill.Elapsed;
        Assert.All(removed, f => Assert.Equal("bob", MemberId(f)));
        Assert.Equal(presence.Length, removed.Count);

        await Eventually.Get(() => ChannelCounts(apiA), found => found.Count == presence.Length && presence.All(ch => found.GetValueOrDefault(ch) == 1),
            "only ann's presence channels left", TimeSpan.FromSeconds(10));
        var countsExact = sinceKill.Elapsed;
        await annOnA.AssertSilent();

        foreach (var channel in onlyOnB)
        {
            var events = await _webhooks.WaitForEvents("/hooks", channel, 2, TimeSpan.FromSeconds(10));
            var names = WebhookReceiver.Names(events);
            Assert.True(names == "channel_occupied,channel_vacated", $"{channel}: {names}\n{_webhooks.Describe("/hooks", channel)}");
        }

        foreach (var channel in presence)
        {
            var events = await _webhooks.WaitForEvents("/hooks", channel, 4, TimeSpan.FromSeconds(10));
            Assert.Equal("channel_occupied,member_added,member_added,member_removed", WebhookReceiver.Names(events));
        }

        output.WriteLine($"members removed {membersLeft.TotalSeconds:F1} s after the server's kill; counts exact {countsExact.TotalSeconds:F1} s");
        Assert.True(countsExact < GatewayDeathExactWithin, $"exact after {countsExact}, promised within {GatewayDeathExactWithin}");
    }

    [Fact]
    public async Task A_server_and_a_worker_added_at_runtime_join_and_the_cluster_survives_an_old_workers_death_with_them()
    {
        using var apiA = new PusherApi(ServerA.HttpUri);
        var channels = Names("join-");
        await using var onA = await Connect(ServerA);
        foreach (var channel in channels)
        {
            await onA.SubscribePublic(channel);
        }

        var serverC = await _cluster.Add("server");
        await using var onC = await Connect(serverC);
        foreach (var channel in channels)
        {
            await onC.SubscribePublic(channel);
        }

        using var apiC = new PusherApi(serverC.HttpUri);
        await Mark(apiC, "through-c", channels);
        await Until(onA, "through-c", channels);
        await Until(onC, "through-c", channels);

        // A worker joins, then an old one dies: the joined worker is one of the two silos that settle
        // the death and rebuild the dead one's grains. The API may answer the failover's 503
        // meanwhile, and nothing else.
        await _cluster.Add("worker");
        await _cluster[0].Kill();
        await _cluster.WaitUntilDeclaredDead(_cluster[0]);
        await Eventually.Get(() => ChannelCountsOrFailover(apiA), found => found is not null && channels.All(ch => found.GetValueOrDefault(ch) == 2),
            "every channel counted on the survivors", TimeSpan.FromSeconds(30));

        await Mark(apiA, "after", channels);
        await Until(onA, "after", channels);
        await Until(onC, "after", channels);
    }

    private static bool Is(JsonElement webhookEvent, string name, string userId) =>
        webhookEvent.GetProperty("name").GetString() == name && webhookEvent.TryGetProperty("user_id", out var id) && id.GetString() == userId;

    private static string[] Names(string prefix)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        return Enumerable.Range(0, ChannelCount).Select(i => $"{prefix}{run}-{i}").ToArray();
    }

    private static Task<RawPusherClient> Connect(ServerProcess server) => RawPusherClient.Connect(server.WebSocketUri());
}
