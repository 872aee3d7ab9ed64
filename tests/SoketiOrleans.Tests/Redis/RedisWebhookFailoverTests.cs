using System.Diagnostics;
using SoketiOrleans.Tests.Harness;
using Xunit.Abstractions;

namespace SoketiOrleans.Tests.Redis;

/// <summary>
/// The webhook queue in Redis with real processes: two workers share each destination's stream,
/// one sends at a time. Its death leaves nothing unsent.
/// </summary>
public sealed class RedisWebhookFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int ChannelCount = 6;
    private const string Path = "/hooks";

    private readonly WebhookReceiver _receiver = new();
    private LocalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalCluster.StartRedis(["worker", "worker", "server"], new Dictionary<string, string>
    {
        ["SOKETI_WEBHOOKS_RETRY_INITIAL_DELAY"] = "100",
        ["SOKETI_WEBHOOKS_RETRY_MAX_DELAY"] = "200",
        ["SOKETI_WEBHOOKS_TIMEOUT"] = "1000",
        ["SOKETI_DEFAULT_APP_WEBHOOKS"] = $$"""[{"url":"{{_receiver.Url(Path)}}","event_types":["channel_occupied","channel_vacated"]}]""",
    });

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Events_pending_on_a_killed_sender_are_delivered_by_the_other_worker_each_once_in_order()
    {
        var hang = true;
        _receiver.Answer(Path, _ => Volatile.Read(ref hang) ? null : 200);
        var channels = await OccupyAndVacate();
        await Eventually.Get(() => Task.FromResult(_receiver.On(Path)), r => r.Count > 0, "the sender's first attempt");

        var sender = await Eventually.Get(() => Sender(), s => s is not null, "the lease held by a worker") ?? throw new InvalidOperationException();
        var survivor = _cluster[0] == sender ? _cluster[1] : _cluster[0];
        await sender.Kill();
        var killedAt = _receiver.Elapsed;
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref hang, false);

        foreach (var channel in channels)
        {
            await Eventually.Get(() => Task.FromResult(AfterKill(killedAt, channel)), e => e.Count >= 2, $"{channel}'s events from the survivor", TimeSpan.FromSeconds(30));
        }

        output.WriteLine($"delivered by the other worker {clock.Elapsed.TotalSeconds:F1} s after the sender's kill");
        await Eventually.Get(() => Sender(), s => s == survivor, "the lease held by the survivor");
        foreach (var channel in channels)
        {
            Assert.Equal("channel_occupied,channel_vacated", WebhookReceiver.Names(AfterKill(killedAt, channel)));
        }
    }

    [Fact]
    public async Task A_receiver_that_answers_500_then_200_gets_every_event_once_in_order()
    {
        _receiver.Answer(Path, attempt => attempt == 1 ? 500 : 200);
        var channels = await OccupyAndVacate();

        foreach (var channel in channels)
        {
            await _receiver.WaitForEvents(Path, channel, 2);
        }

        var answered = _receiver.On(Path).Skip(1).SelectMany(r => r.Events).ToArray(); // the first request got the 500
        foreach (var channel in channels)
        {
            Assert.Equal("channel_occupied,channel_vacated", WebhookReceiver.Names(answered.Where(e => e.GetProperty("channel").GetString() == channel)));
        }
    }

    /// <summary>Occupies then vacates channels through the server: two events each, raised by whichever worker holds the channel's grain.</summary>
    private async Task<string[]> OccupyAndVacate()
    {
        var channels = Enumerable.Range(0, ChannelCount).Select(_ => Names.Unique("hooked-")).ToArray();
        foreach (var channel in channels)
        {
            await using var client = await RawPusherClient.Connect(_cluster.Gateways[0].WebSocketUri());
            await client.SubscribePublic(channel);
        }

        return channels;
    }

    private IReadOnlyList<System.Text.Json.JsonElement> AfterKill(TimeSpan killedAt, string channel) =>
        _receiver.On(Path).Where(r => r.At > killedAt).SelectMany(r => r.Events).Where(e => e.GetProperty("channel").GetString() == channel).ToArray();

    /// <summary>The worker that holds the destination's lease (its value names the process).</summary>
    private async Task<ServerProcess?> Sender()
    {
        var key = (await _cluster.Redis!.Command("--raw", "KEYS", "soketi:webhooks:*:owner")).Trim();
        var owner = await _cluster.Redis.Command("--raw", "GET", key);
        var pid = owner.Split(':') is { Length: >= 2 } parts && int.TryParse(parts[1], out var p) ? p : 0;
        return _cluster.Nodes.FirstOrDefault(n => n.Pid == pid);
    }
}
