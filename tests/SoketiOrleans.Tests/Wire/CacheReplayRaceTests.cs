using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// "The channel grain sends subscription_succeeded, the replay and later events in one ordered
/// stream: no duplicates, no gaps" (docs/compatibility.md, cache replay order): sockets subscribe
/// on both gateways while a backend publishes to the cache channel.
/// </summary>
[Collection(nameof(ContendedCluster))]
public sealed class CacheReplayRaceTests(ContendedClusterFixture fixture)
{
    /// <summary>Events per pipelined request sequence; the publisher sends sequences one after another.</summary>
    private const int Chunk = 10;

    /// <summary>The publisher goes on until this many sockets subscribed on each gateway meanwhile.</summary>
    private const int SubscribersPerGateway = 8;

    private const string EventName = "tick";

    private static readonly PusherSigner Signer = PusherSigner.Named("cache");

    private static string Frame(string channel, int n) => Frames.Event(EventName, channel, n.ToString());

    [Fact]
    public async Task Sockets_subscribing_while_events_are_published_get_the_latest_event_or_a_miss_before_the_first_and_then_every_later_event_once_in_order()
    {
        var channel = Names.Unique("cache-race-");
        await using var clients = new ClientGroup();
        var enoughOnA = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var enoughOnB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var publishing = Publish(channel, Task.WhenAll(enoughOnA.Task, enoughOnB.Task));
        var joined = await Task.WhenAll(
            SubscribeWhile(publishing, enoughOnA, clients, fixture.A, channel),
            SubscribeWhile(publishing, enoughOnB, clients, fixture.B, channel));

        var published = await publishing;
        var subscribers = joined.SelectMany(j => j).ToArray();
        Assert.Contains(subscribers, s => s.Replayed > 0 && s.Replayed < published); // else nobody joined mid-stream: no race was tested
        foreach (var (client, replayed) in subscribers)
        {
            for (var n = replayed + 1; n <= published; n++)
            {
                Assert.Equal(Frame(channel, n), await client.Next());
            }
        }

        await Task.WhenAll(subscribers.Select(s => s.Client.AssertSilent()));
    }

    /// <summary>
    /// Events 1, 2, 3… in order (each pipelined sequence is acknowledged before the next starts),
    /// until <paramref name="enough"/> sockets joined meanwhile; returns how many were published.
    /// </summary>
    private async Task<int> Publish(string channel, Task enough)
    {
        var published = 0;
        while (!enough.IsCompleted)
        {
            var data = Enumerable.Range(published + 1, Chunk).Select(n => n.ToString()).ToArray();
            Assert.All(await PipelinedPublisher.Trigger(fixture.A.HttpUri, channel, EventName, data, Signer), answer => Assert.Equal((200, ApiAssert.Ok), answer));
            published += Chunk;
        }

        return published;
    }

    /// <summary>
    /// Subscribes one new socket after another on <paramref name="gateway"/> until the publisher is
    /// done; each with the number of the event it was replayed (0: <c>pusher:cache_miss</c>).
    /// </summary>
    private static async Task<List<(RawPusherClient Client, int Replayed)>> SubscribeWhile(
        Task publishing, TaskCompletionSource enough, ClientGroup clients, ServerProcess gateway, string channel)
    {
        var joined = new List<(RawPusherClient, int)>();
        try
        {
            while (!publishing.IsCompleted)
            {
                var client = await clients.Connect(gateway.WebSocketUri(Signer.Key));
                await client.SubscribePublic(channel);
                var replay = await client.Next();
                var replayed = replay == Frames.CacheMiss(channel)
                    ? 0
                    : int.Parse(JsonDocument.Parse(replay).RootElement.GetProperty("data").GetString()!);
                Assert.Equal(replayed == 0 ? Frames.CacheMiss(channel) : Frame(channel, replayed), replay);
                joined.Add((client, replayed));
                if (joined.Count == SubscribersPerGateway)
                {
                    enough.TrySetResult();
                }
            }
        }
        finally
        {
            enough.TrySetResult(); // the publisher must stop also when this failed
        }

        return joined;
    }
}
