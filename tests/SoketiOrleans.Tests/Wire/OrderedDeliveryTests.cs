using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// "Deliveries are numbered per channel and gateway so each gateway restores the grain's order"
/// (README, Architecture). Each publisher here pipelines its events over one HTTP/1.1 connection,
/// which gives them a publish order the server must keep (see <see cref="PipelinedPublisher"/>);
/// between publishers on different connections the channel grain decides the order, and every
/// gateway must then deliver that same order.
/// </summary>
[Collection(nameof(TwoNodes))]
public sealed class OrderedDeliveryTests(TwoNodeFixture fixture)
{
    private const int Events = 200;
    private const string EventName = "ordered";

    private static string Frame(string channel, string data) => Frames.Event(EventName, channel, data);

    private static async Task<RawPusherClient> Subscriber(ServerProcess gateway, string channel)
    {
        var client = await RawPusherClient.Connect(gateway.WebSocketUri());
        await client.SubscribePublic(channel);
        return client;
    }

    /// <summary>The next <paramref name="count"/> frames, each exactly an event of this test; returns their data, short enough to read in a failure.</summary>
    private static async Task<string[]> Receive(RawPusherClient client, string channel, int count)
    {
        var data = new string[count];
        for (var i = 0; i < count; i++)
        {
            var frame = await client.Next();
            data[i] = JsonDocument.Parse(frame).RootElement.GetProperty("data").GetString()!;
            Assert.Equal(Frame(channel, data[i]), frame);
        }

        return data;
    }

    private static void AllAcknowledged(IEnumerable<(int Status, string Body)> answers) =>
        Assert.All(answers, answer => Assert.Equal((200, ApiAssert.Ok), answer));

    [Fact]
    public async Task Two_hundred_events_published_one_after_another_through_one_gateway_arrive_in_publish_order_on_both_gateways()
    {
        var channel = Names.Unique("ordered-");
        await using var onA = await Subscriber(fixture.A, channel);
        await using var onB = await Subscriber(fixture.B, channel);
        var data = Enumerable.Range(1, Events).Select(i => i.ToString()).ToArray();

        AllAcknowledged(await PipelinedPublisher.Trigger(fixture.A.HttpUri, channel, EventName, data));

        Assert.Equal(data, await Receive(onA, channel, Events));
        Assert.Equal(data, await Receive(onB, channel, Events));
        await Task.WhenAll(onA.AssertSilent(), onB.AssertSilent()); // no repeats
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Events_of_concurrent_publishers_on_both_gateways_arrive_in_each_publishers_order_and_in_one_same_order_on_both_gateways(
        int publishersPerGateway)
    {
        var channel = Names.Unique("ordered-");
        await using var onA = await Subscriber(fixture.A, channel);
        await using var onB = await Subscriber(fixture.B, channel);
        var publishers = Enumerable.Range(0, 2 * publishersPerGateway)
            .Select(p => (Gateway: p % 2 == 0 ? fixture.A : fixture.B, Name: $"{(p % 2 == 0 ? "a" : "b")}{p / 2}"))
            .ToArray();
        var sent = publishers.ToDictionary(
            p => p.Name,
            p => Enumerable.Range(1, Events / publishers.Length).Select(i => $"{p.Name}-{i}").ToArray());

        var answers = await Task.WhenAll(publishers.Select(p => PipelinedPublisher.Trigger(p.Gateway.HttpUri, channel, EventName, sent[p.Name])));

        AllAcknowledged(answers.SelectMany(a => a));
        var seenOnA = await Receive(onA, channel, Events);
        var seenOnB = await Receive(onB, channel, Events);
        foreach (var seen in new[] { seenOnA, seenOnB })
        {
            foreach (var (publisher, data) in sent)
            {
                Assert.Equal(data, seen.Where(d => d.StartsWith($"{publisher}-", StringComparison.Ordinal)));
            }
        }

        Assert.Equal(seenOnA, seenOnB); // the grain's one interleaving, restored by each gateway
        await Task.WhenAll(onA.AssertSilent(), onB.AssertSilent());
    }
}
