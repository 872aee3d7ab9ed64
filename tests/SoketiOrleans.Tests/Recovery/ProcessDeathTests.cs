using System.Diagnostics;
using System.Text.Json;
using SoketiOrleans.Tests.Harness;
using Xunit.Abstractions;
using static SoketiOrleans.Tests.Recovery.ClusterProbe;

namespace SoketiOrleans.Tests.Recovery;

/// <summary>
/// Three real processes A, B and C; C is killed with SIGKILL while clients are connected to all
/// three and a backend publishes through A and B. Enough channels that some of their grains lived
/// in C and were rebuilt on the survivors. Each mode says how its cluster starts and which process is C.
/// </summary>
public abstract class ProcessDeathTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int ChannelCount = 24;

    /// <summary>The bound the docs promise for a co-hosted process's death (silo and gateway at once).</summary>
    private static readonly TimeSpan ExactWithin = TimeSpan.FromSeconds(10);

    private readonly WebhookReceiver _webhooks = new();
    private readonly PusherSigner _signer = new();
    private LocalCluster _cluster = null!;
    private ServerProcess _a = null!;
    private ServerProcess _b = null!;
    private ServerProcess _c = null!;

    public async Task InitializeAsync()
    {
        _cluster = await Start(new Dictionary<string, string>
        {
            ["SOKETI_WEBHOOKS_RETRY_INITIAL_DELAY"] = "100",
            ["SOKETI_DEFAULT_APP_WEBHOOKS"] = $$"""
                [{"url":"{{_webhooks.Url("/hooks")}}","event_types":["channel_occupied","channel_vacated","member_added","member_removed"]}]
                """,
        });
        (_a, _b, _c) = await Roles(_cluster);
    }

    /// <summary>Three processes in one cluster.</summary>
    protected abstract Task<LocalCluster> Start(IReadOnlyDictionary<string, string> environment);

    /// <summary>The survivors A and B, and C, the process killed.</summary>
    protected abstract Task<(ServerProcess A, ServerProcess B, ServerProcess C)> Roles(LocalCluster cluster);

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _webhooks.DisposeAsync();
    }

    [Fact]
    public async Task A_killed_process_leaves_every_channel_once_and_survivors_lose_nothing_acknowledged()
    {
        var (a, b, c) = (_a, _b, _c);
        using var apiA = new PusherApi(a.HttpUri);
        using var apiB = new PusherApi(b.HttpUri);
        var presence = Names("presence-p");
        var shared = Names("pub-");
        var onlyOnC = Names("onlyc-");

        await using var annOnA = await Connect(a);
        await using var bobOnB = await Connect(b);
        await using var samOnB = await Connect(b);
        await using var carlOnC = await Connect(c);
        await using var samOnC = await Connect(c);
        foreach (var channel in shared)
        {
            await annOnA.SubscribePublic(channel);
            await bobOnB.SubscribePublic(channel);
            await carlOnC.SubscribePublic(channel);
        }

        foreach (var channel in onlyOnC)
        {
            await carlOnC.SubscribePublic(channel);
        }

        // Socket after socket, so each reads its own subscriptions before others' members arrive.
        foreach (var (socket, user) in new[] { (annOnA, "ann"), (bobOnB, "bob"), (samOnB, "sam"), (carlOnC, "carl"), (samOnC, "sam") })
        {
            foreach (var channel in presence)
            {
                await socket.SubscribePresence(_signer, channel, Member(user));
            }
        }

        await Mark(apiA, "setup", presence.Concat(shared));
        await Until(annOnA, "setup", presence.Concat(shared));
        await Until(bobOnB, "setup", presence.Concat(shared));
        await Until(samOnB, "setup", presence);
        await _webhooks.WaitForEvents("/hooks", onlyOnC[^1], 1);

        // A backend publishing through A and B, one request at a time, before, during and after the kill.
        var publisher = BackendPublisher.Start([apiA, apiB], shared);
        await publisher.WaitForMore(2 * ChannelCount, "publishes before the kill");

        var sinceKill = Stopwatch.StartNew();
        await c.Kill();

        var expected = shared.Select(ch => (ch, 2)).Concat(presence.Select(ch => (ch, 3))).ToDictionary(p => p.Item1, p => p.Item2);
        await Eventually.Get(async () => (A: await ChannelCounts(apiA), B: await ChannelCounts(apiB), Users: await Task.WhenAll(presence.Select(ch => PresenceUsers(apiB, ch)))),
            state => new[] { state.A, state.B }.All(found => found.Count == expected.Count && expected.All(e => found.GetValueOrDefault(e.Key) == e.Value))
                && state.Users.All(users => users.SequenceEqual(["ann", "bob", "sam"])),
            "GET /channels and every presence channel's users counting only the survivors", TimeSpan.FromSeconds(30));
        var countsExact = sinceKill.Elapsed;

        await publisher.WaitForMore(2 * ChannelCount, "publishes after the recovery", TimeSpan.FromSeconds(30));
        await publisher.Stop();

        await Mark(apiB, "end", presence.Concat(shared));
        var seenByAnn = await Until(annOnA, "end", presence.Concat(shared));
        var seenByBob = await Until(bobOnB, "end", presence.Concat(shared));
        var seenBySam = await Until(samOnB, "end", presence);
        var allDelivered = sinceKill.Elapsed;

        foreach (var frames in new[] { seenByAnn, seenByBob, seenBySam })
        {
            foreach (var channel in presence)
            {
                var memberEvents = frames.Where(f => Channel(f) == channel && Event(f).StartsWith("pusher_internal:member_")).ToArray();
                var removed = Assert.Single(memberEvents); // carl leaves once; sam still has a socket on B
                Assert.Equal(("pusher_internal:member_removed", "carl"), (Event(removed), MemberId(removed)));
            }
        }

        foreach (var frames in new[] { seenByAnn, seenByBob })
        {
            foreach (var channel in shared)
            {
                publisher.AssertReceivedExactly(frames, channel);
            }
        }

        foreach (var survivor in new[] { annOnA, bobOnB, samOnB })
        {
            await survivor.ExpectPong(); // still connected
        }

        await AssertWebhooksOnce(presence, onlyOnC, b);
        output.WriteLine($"counts and members exact {countsExact.TotalSeconds:F1} s after the kill; every acknowledged event delivered by {allDelivered.TotalSeconds:F1} s; {publisher}");
        Assert.True(countsExact < ExactWithin, $"exact after {countsExact}, promised within {ExactWithin}");
    }

    [Fact]
    public async Task Signed_in_users_and_watchlists_stay_exact_for_every_survivor()
    {
        var (a, b, c) = (_a, _b, _c);
        using var apiA = new PusherApi(a.HttpUri);
        var run = Guid.NewGuid().ToString("N")[..6];
        var staying = Enumerable.Range(0, 12).Select(i => $"b{run}-{i}").ToArray();
        var dying = Enumerable.Range(0, 12).Select(i => $"c{run}-{i}").ToArray();
        var watcherId = $"w{run}";

        await using var watcher = await Connect(a);
        await watcher.SignIn(_signer, UserSteps.UserData(watcherId, [.. staying, .. dying]));
        var onB = new List<RawPusherClient>();
        var onC = new List<RawPusherClient>();
        try
        {
            foreach (var (ids, node, sockets) in new[] { (staying, b, onB), (dying, c, onC) })
            {
                foreach (var id in ids)
                {
                    var socket = await Connect(node);
                    sockets.Add(socket);
                    await socket.SignIn(_signer, UserSteps.UserData(id));
                }
            }

            await WatchlistUntil(watcher, "online", [.. staying, .. dying]);
            var sinceKill = Stopwatch.StartNew();
            await c.Kill();

            var offline = await WatchlistUntil(watcher, "offline", dying);
            var watchersTold = sinceKill.Elapsed;
            ApiAssert.IsOk(await apiA.Trigger($"#server-to-user-{watcherId}", "marker", "{}"));
            var rest = await Until(watcher, "marker", [$"#server-to-user-{watcherId}"]);
            Assert.Equal(dying.Order(), offline.Order());                            // each once
            Assert.DoesNotContain(rest, f => Event(f) == "pusher_internal:watchlist_events"); // nothing about users who stayed

            foreach (var (id, socket) in staying.Zip(onB))
            {
                ApiAssert.IsOk(await apiA.Trigger($"#server-to-user-{id}", "to-user", id));
                Assert.Equal($$"""{"event":"to-user","channel":"#server-to-user-{{id}}","data":"{{id}}"}""", await socket.Next());
            }

            ApiAssert.IsOk(await apiA.TerminateUserConnections(staying[0]));
            await onB[0].ExpectTerminated();
            await onB[1].ExpectPong();
            Assert.Equal(UserSteps.WatchlistEvent("offline", staying[0]), await watcher.Next()); // the terminated user went offline
            await watcher.ExpectPong();
            output.WriteLine($"watchers told {watchersTold.TotalSeconds:F1} s after the kill");
        }
        finally
        {
            foreach (var socket in onB.Concat(onC))
            {
                await socket.DisposeAsync();
            }
        }
    }

    /// <summary>Reads watchlist events until <paramref name="name"/> named every one of <paramref name="userIds"/>; returns the ids as named.</summary>
    private static async Task<List<string>> WatchlistUntil(RawPusherClient watcher, string name, string[] userIds)
    {
        var named = new List<string>();
        while (!userIds.All(named.Contains))
        {
            var frame = await watcher.NextJson(TimeSpan.FromSeconds(20));
            Assert.Equal("pusher_internal:watchlist_events", Event(frame));
            foreach (var entry in frame.GetProperty("data").GetProperty("events").EnumerateArray())
            {
                Assert.Equal(name, entry.GetProperty("name").GetString());
                named.AddRange(entry.GetProperty("user_ids").EnumerateArray().Select(id => id.GetString()!));
            }
        }

        return named;
    }

    /// <summary>
    /// carl's departure and the vacated channels are announced exactly once: proven by a later event
    /// from the same channel (a new member, a new occupant), which arrives after anything raised before it.
    /// </summary>
    private async Task AssertWebhooksOnce(string[] presence, string[] onlyOnC, ServerProcess survivor)
    {
        await using var late = await Connect(survivor);
        foreach (var channel in presence)
        {
            var snapshot = await late.SubscribePresence(_signer, channel, Member("late"));
            Assert.Equal(["ann", "bob", "late", "sam"], SnapshotIds(snapshot)); // a rebuilt grain's snapshot is exact at once
        }

        foreach (var channel in onlyOnC)
        {
            await late.SubscribePublic(channel);
        }

        foreach (var channel in presence)
        {
            var events = await _webhooks.WaitForEvents("/hooks", channel, 1, TimeSpan.FromSeconds(20));
            await Eventually.Get(() => Task.FromResult(_webhooks.Events("/hooks", channel)), e => e.Any(x => Is(x, "member_added", "late")), $"late joining {channel}");
            var afterSetup = _webhooks.Events("/hooks", channel).SkipWhile(e => !Is(e, "member_added", "carl")).Skip(1).ToArray();
            Assert.Equal(["member_removed:carl", "member_added:late"], afterSetup.Select(e => $"{e.GetProperty("name").GetString()}:{e.GetProperty("user_id").GetString()}"));
        }

        foreach (var channel in onlyOnC)
        {
            var events = await _webhooks.WaitForEvents("/hooks", channel, 3, TimeSpan.FromSeconds(20));
            Assert.Equal("channel_occupied,channel_vacated,channel_occupied", WebhookReceiver.Names(events));
        }
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
