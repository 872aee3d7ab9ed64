using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using SoketiOrleans.Tests.Harness;
using Xunit.Abstractions;

namespace SoketiOrleans.Tests.Operations;

/// <summary>
/// The drain a rolling deploy relies on, with 200 presence clients on the node that stops: its
/// <c>/ready</c> turns 503 while their sockets are still open, they are told 4200 after the drain
/// delay and spread over the grace period, each reconnects to the other node at once, and the
/// channel's members, the other node's watcher and the webhooks all end exact.
/// </summary>
[Collection(nameof(Alone))]
public sealed class DrainTests(ITestOutputHelper output)
{
    private const int Clients = 200;
    private static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Sigterm_drains_200_clients_to_the_other_node_spread_over_the_grace_period_with_presence_and_webhooks_exact()
    {
        await using var receiver = new WebhookReceiver();
        await using var cluster = await LocalCluster.Start(2, new Dictionary<string, string>
        {
            // The drain's Debug line per batch is its own record of when it told whom.
            ["SOKETI_DEBUG"] = "1",
            ["SOKETI_SHUTDOWN_DRAIN_DELAY"] = ((int)DrainDelay.TotalMilliseconds).ToString(),
            ["SOKETI_SHUTDOWN_GRACE_PERIOD"] = ((int)GracePeriod.TotalMilliseconds).ToString(),
            ["SOKETI_PRESENCE_MAX_MEMBERS"] = "1000",
            ["SOKETI_DEFAULT_APP_WEBHOOKS"] = $$"""[{"url":"{{receiver.Url("/members")}}","event_types":["member_added","member_removed"]}]""",
        });
        // The first process is the local mode's membership primary; the second is the one deployed over.
        var (stays, leaves) = (cluster[0], cluster[1]);
        var signer = new PusherSigner();
        var channel = Names.Unique("presence-drain-");
        static string Member(string id) => $$$"""{"user_id":"{{{id}}}","user_info":{}}""";
        var users = Enumerable.Range(0, Clients).Select(i => $"u{i}").ToArray();

        await using var group = new ClientGroup();
        var watcher = await group.Connect(stays.WebSocketUri());
        await watcher.SubscribePresence(signer, channel, Member("watcher"));
        var draining = new RawPusherClient[Clients];
        foreach (var batch in Enumerable.Range(0, Clients).Chunk(20))
        {
            await Task.WhenAll(batch.Select(async i =>
            {
                draining[i] = await group.Connect(leaves.WebSocketUri());
                await draining[i].SubscribePresence(signer, channel, Member(users[i]));
            }));
        }

        using var api = new PusherApi(stays.HttpUri);
        await Eventually.Get(() => api.Get($"/channels/{channel}/users"), r => UserIds(r.Body).Count == Clients + 1, "every member listed");

        var clock = Stopwatch.StartNew();
        var toldAt = new TimeSpan[Clients];
        var moves = Enumerable.Range(0, Clients).Select(async i =>
        {
            // Other members' joins arrive first; the 4200 is the only error.
            Assert.Equal(Frames.ShuttingDown, (await draining[i].WaitFor("pusher:error", timeout: TimeSpan.FromSeconds(30))).GetRawText());
            toldAt[i] = clock.Elapsed;
            Assert.Equal((WebSocketCloseStatus)4200, (await draining[i].WaitForClose()).Status);
            var moved = await group.Connect(stays.WebSocketUri());
            await moved.SubscribePresence(signer, channel, Member(users[i]));
        }).ToArray();
        using var probe = new HttpClient { BaseAddress = leaves.HttpUri };
        probe.DefaultRequestHeaders.ConnectionClose = true;

        leaves.Terminate();
        var notReady = await Eventually.Get(async () => (await probe.GetAsync("/ready")).StatusCode, s => (int)s == 503, "/ready answering 503");
        var notReadyAt = clock.Elapsed;
        await Task.WhenAll(moves);
        Assert.Equal(0, await leaves.WaitForExit(DrainDelay + GracePeriod * 2 + TimeSpan.FromSeconds(10)));

        var order = toldAt.Order().ToArray();
        var batches = Batches(leaves.Output);
        output.WriteLine($"/ready 503 at {notReadyAt.TotalMilliseconds:F0} ms; first 4200 received at {order[0].TotalMilliseconds:F0} ms, last at {order[^1].TotalMilliseconds:F0} ms");
        output.WriteLine("4200s sent per 250 ms (the server's clock): " + string.Join(" ", batches.GroupBy(b => (int)((b.At - batches[0].At).TotalMilliseconds / 250)).Select(g => $"{g.Key * 250}:{g.Sum(b => b.Count)}")));
        // Load balancers can see the 503 before any client is told to go.
        Assert.True(notReadyAt < order[0], $"/ready turned 503 at {notReadyAt}, after the first 4200 at {order[0]}");
        Assert.True(order[0] >= DrainDelay, $"the first 4200 came {order[0]} after SIGTERM, before the drain delay");
        // Spread over the grace period, as the server sent them (receipt here would add this process's
        // own pauses: a 0.5-1 s stall of it bunched the receipts in several CI runs): the last batch at
        // least half of the period after the first, and no 300 ms holds a quarter of the clients (an
        // even spread puts a tenth there).
        Assert.Equal(Clients, batches.Sum(b => b.Count));
        Assert.InRange(batches[^1].At - batches[0].At, GracePeriod / 2, GracePeriod + TimeSpan.FromSeconds(1));
        var busiest = batches.Select((b, i) => batches.Skip(i).TakeWhile(c => c.At - b.At < TimeSpan.FromMilliseconds(300)).Sum(c => c.Count)).Max();
        Assert.True(busiest <= Clients / 4, $"{busiest} clients were told 4200 within 300 ms");

        // Presence intact on the node that stayed: every user once, the watcher's view and the webhooks agree.
        var expected = users.Append("watcher").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, UserIds((await api.Get($"/channels/{channel}/users")).Body).Order(StringComparer.Ordinal));
        Assert.Equal((200, $$"""{"occupied":true,"subscription_count":{{Clients + 1}},"user_count":{{Clients + 1}}}"""),
            await api.Get($"/channels/{channel}", new Dictionary<string, string> { ["info"] = "subscription_count,user_count" }));
        // An event published now reaches the watcher after every member event before it (one channel, one order).
        Assert.Equal(200, (await api.Trigger(channel, "after-the-drain", "{}")).Status);
        var net = new Dictionary<string, int>(StringComparer.Ordinal);
        while (true)
        {
            var frame = JsonDocument.Parse(await watcher.Next()).RootElement;
            var name = frame.GetProperty("event").GetString();
            if (name == "after-the-drain")
            {
                break;
            }

            var change = name switch
            {
                "pusher_internal:member_added" => 1,
                "pusher_internal:member_removed" => -1,
                _ => throw new Xunit.Sdk.XunitException($"unexpected frame at the watcher: {frame}"),
            };
            var user = JsonDocument.Parse(frame.GetProperty("data").GetString()!).RootElement.GetProperty("user_id").GetString()!;
            net[user] = net.GetValueOrDefault(user) + change;
        }

        Assert.Equal(users.Order(StringComparer.Ordinal), net.Keys.Order(StringComparer.Ordinal));
        Assert.All(net, n => Assert.Equal(1, n.Value));

        var hooks = await Eventually.Get(() => Task.FromResult(NetMembership(receiver.Events("/members", channel))),
            n => n.Count == Clients + 1 && n.Values.All(v => v == 1), "every user added once more than removed, in the webhooks");
        Assert.Equal(expected, hooks.Keys.Order(StringComparer.Ordinal));
    }

    private static List<string> UserIds(string body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("id").GetString()!).ToList();

    private static Dictionary<string, int> NetMembership(IEnumerable<JsonElement> events)
    {
        var net = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var user = e.GetProperty("user_id").GetString()!;
            net[user] = net.GetValueOrDefault(user) + (e.GetProperty("name").GetString() == "member_added" ? 1 : -1);
        }

        return net;
    }

    /// <summary>The drain's batches from the server's Debug lines: when each was sent, and to how many sockets.</summary>
    private static (DateTime At, int Count)[] Batches(string serverOutput) =>
        Regex.Matches(serverOutput, @"^(\S+) dbug: .*Draining: told (\d+) sockets to reconnect elsewhere", RegexOptions.Multiline)
            .Select(m => (DateTime.ParseExact(m.Groups[1].Value, "yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value)))
            .ToArray();
}
