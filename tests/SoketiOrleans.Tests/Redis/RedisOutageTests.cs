using SoketiOrleans.Tests.Harness;
using Xunit.Abstractions;

namespace SoketiOrleans.Tests.Redis;

/// <summary>
/// Redis goes away and comes back (with its data, or empty as after a restart without
/// persistence) while two co-hosted processes serve. soketi exits here; this server keeps serving
/// and re-forms its cluster by itself.
/// </summary>
[Collection(nameof(RedisOutages))]
public sealed class RedisOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Path = "/hooks";
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(8);

    private readonly WebhookReceiver _receiver = new();
    private LocalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalCluster.StartRedis(["full", "full"], new Dictionary<string, string>
    {
        ["SOKETI_WEBHOOKS_RETRY_INITIAL_DELAY"] = "100",
        ["SOKETI_DEFAULT_APP_WEBHOOKS"] = $$"""[{"url":"{{_receiver.Url(Path)}}","event_types":["channel_occupied","channel_vacated"]}]""",
    });

    /// <summary>The events received for the channel whose name starts with <paramref name="prefix"/>, with the receiver's clock.</summary>
    private (string Name, TimeSpan At)[] RaisedAt(string prefix) =>
        _receiver.On(Path)
            .SelectMany(r => r.Events.Select(e => (Event: e, r.At)))
            .Where(x => x.Event.GetProperty("channel").GetString()!.StartsWith(prefix, StringComparison.Ordinal))
            .Select(x => (x.Event.GetProperty("name").GetString()!, x.At))
            .ToArray();

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Delivery_between_nodes_never_stops_nothing_exits_and_the_cluster_reforms(bool keepData)
    {
        var (a, b) = (_cluster[0], _cluster[1]);
        using var apiA = new PusherApi(a.HttpUri);
        using var apiB = new PusherApi(b.HttpUri);
        var channel = Names.Unique("through-outage-");
        await using var onB = await RawPusherClient.Connect(b.WebSocketUri());
        await onB.SubscribePublic(channel);

        var restart = _cluster.Redis!.Restart(keepData, down: Outage);
        var sent = 0;
        while (!restart.IsCompleted)
        {
            ApiAssert.IsOk(await apiA.Trigger(channel, "during", (++sent).ToString()));
            Assert.Equal(Frames.Event("during", channel, sent.ToString()), await onB.Next());

            // Webhooks raised while Redis is down are buffered and sent once it is back.
            if (sent % 20 == 0)
            {
                await using var raiser = await RawPusherClient.Connect(a.WebSocketUri());
                await raiser.SubscribePublic(Names.Unique($"raised-{sent}-"));
            }
        }

        await restart;
        output.WriteLine($"{sent} events delivered from A to B during the {Outage.TotalSeconds:F0} s outage");
        Assert.True(sent > 20, $"only {sent} events while Redis was down");

        var raisedChannels = Enumerable.Range(1, sent / 20).Select(i => $"raised-{i * 20}-").ToArray();
        foreach (var prefix in raisedChannels)
        {
            await Eventually.Get(() => Task.FromResult(RaisedAt(prefix)),
                e => e.Length >= 2, $"occupied and vacated of the channel raised at {prefix}", TimeSpan.FromSeconds(30));
        }

        // Checked once all have arrived, so a duplicate of an early channel has had time to show.
        foreach (var prefix in raisedChannels)
        {
            var events = RaisedAt(prefix);
            Assert.True(events is [("channel_occupied", _), ("channel_vacated", _)],
                $"{prefix}: {string.Join(", ", events)}\n{string.Join("\n", new[] { a, b }.SelectMany(n => n.Output.Split('\n')).Where(l => l.Contains("ebhook") || l.Contains("Redis")))}");
        }

        // Both processes are in the table again, and a third one can join through it.
        await Eventually.Get(async () => (await _cluster.Redis.Command("--raw", "HKEYS", "soketi:members:soketi:soketi")).Split('\n').Count(k => k.StartsWith("S")),
            n => n == 2, "both silos registered again", TimeSpan.FromSeconds(30));
        var c = await _cluster.Add("full");
        await using var onC = await RawPusherClient.Connect(c.WebSocketUri());
        await onC.SubscribePublic(channel);
        ApiAssert.IsOk(await apiB.Trigger(channel, "after", "1"));
        Assert.Equal(Frames.Event("after", channel, "1"), await onC.Next());
        Assert.Equal(Frames.Event("after", channel, "1"), await onB.Next());
        Assert.False(a.HasExited || b.HasExited);
        foreach (var node in new[] { a, b })
        {
            // Loud once each way, not once per event.
            Assert.Single(node.Output.Split('\n'), line => line.Contains("Lost the connection to Redis at 127.0.0.1:"));
            Assert.Single(node.Output.Split('\n'), line => line.Contains("Reconnected to Redis at 127.0.0.1:"));
        }
    }
}

/// <summary>
/// Alone on the machine, so that the outage's 8 s are spent serving rather than waiting for a core
/// while the rest of the suite starts clusters. (The node added after Redis came back empty used to
/// miss its first event now and then, more often on a busy machine: not the machine's fault but a
/// channel activated twice, fixed in <c>RestoringMembershipTable</c>, see
/// <see cref="RestoringMembershipTableTests"/>.)
/// </summary>
[CollectionDefinition(nameof(RedisOutages), DisableParallelization = true)]
public sealed class RedisOutages;
