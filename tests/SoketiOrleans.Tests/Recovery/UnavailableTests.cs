using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Recovery;

/// <summary>
/// When the cluster cannot recover in time, a publish is refused, never acknowledged and lost. In
/// local mode the first process holds the membership table: once it is killed, the survivor can
/// never declare it dead, so channels whose grains lived there stay unreachable.
/// </summary>
public sealed class UnavailableTests : IAsyncLifetime
{
    private LocalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalCluster.Start(1);

    public Task DisposeAsync() => _cluster.DisposeAsync().AsTask();

    [Fact]
    public async Task A_publish_whose_channel_cannot_be_reached_in_time_is_answered_503_and_the_survivor_keeps_serving()
    {
        var primary = _cluster[0];
        var signer = new PusherSigner();
        var channels = Enumerable.Range(0, 40).Select(i => Names.Unique($"unreachable-{i}-")).ToArray();
        // The first 20 channels' grains are activated while the primary is the only silo, so they live
        // in the process that is killed (placement weighs the silos' load: with two silos up, a
        // clean-clone run once had all 40 on the survivor). The activator stays subscribed (an empty
        // channel's grain may go), and dies with the primary.
        await using var activator = await RawPusherClient.Connect(primary.WebSocketUri());
        foreach (var channel in channels[..20])
        {
            await activator.SubscribePublic(channel);
        }

        var survivor = await _cluster.Add("full");
        await using var subscriber = await RawPusherClient.Connect(survivor.WebSocketUri());
        foreach (var channel in channels)
        {
            await subscriber.SubscribePublic(channel);
        }

        await primary.Kill();

        var answers = await Task.WhenAll(channels.Select(async channel => (Channel: channel, Answer: await Send(survivor, signer, channel))));
        Assert.All(answers, a => Assert.True(a.Answer.Status is 200 or 503, $"{a.Channel}: {a.Answer.Status} {a.Answer.Body}"));
        var refused = answers.Where(a => a.Answer.Status == 503).ToArray();
        Assert.NotEmpty(refused);
        Assert.All(refused, a => Assert.Equal((ClusterProbe.FailingOver, "1"), (a.Answer.Body, a.Answer.RetryAfter)));

        // Those answered 200 reached the subscriber (on their ordered streams), and it is still connected.
        var acknowledged = answers.Where(a => a.Answer.Status == 200).Select(a => a.Channel).ToHashSet();
        var received = new HashSet<string>();
        while (received.Count < acknowledged.Count)
        {
            var frame = await subscriber.NextJson();
            Assert.Equal("e", frame.GetProperty("event").GetString());
            Assert.True(received.Add(frame.GetProperty("channel").GetString()!));
        }

        Assert.Equal(acknowledged, received);
        await subscriber.ExpectPong();
    }

    /// <summary>A signed <c>POST /events</c>, read with its headers.</summary>
    private static async Task<(int Status, string Body, string? RetryAfter)> Send(ServerProcess server, PusherSigner signer, string channel)
    {
        var body = JsonSerializer.Serialize(new { name = "e", data = "{}", channel });
        var path = $"/apps/{signer.AppId}/events";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{path}?{signer.SignedQuery("POST", path, body)}")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        using var http = new HttpClient { BaseAddress = server.HttpUri, Timeout = TimeSpan.FromSeconds(30) };
        var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.RetryAfter?.ToString());
    }
}
