using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// Two apps sending to the same URL with batching on: each app's events are batched together and
/// signed with its own secret, never mixed with the other app's (soketi's batch is global).
/// </summary>
public sealed class WebhookBatchingTests : IAsyncLifetime
{
    private readonly WebhookReceiver _receiver = new();
    private readonly string _config = Path.Combine(Directory.CreateTempSubdirectory("soketi-webhooks-").FullName, "config.json");
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        var hook = $$"""[{"url":"{{_receiver.Url("/batch")}}","event_types":["channel_occupied"]}]""";
        await File.WriteAllTextAsync(_config, $$"""
            {
              "webhooks": { "batching": { "enabled": true, "duration": 1000 } },
              "appManager.array.apps": [
                { "id": "app-1", "key": "key-1", "secret": "secret-1", "webhooks": {{hook}} },
                { "id": "app-2", "key": "key-2", "secret": "secret-2", "webhooks": {{hook}} }
              ]
            }
            """);
        _server = await ServerProcess.Start(null, $"--config={_config}");
    }

    [Fact]
    public async Task Each_apps_events_arrive_in_one_batch_of_their_own()
    {
        var one = Enumerable.Range(0, 3).Select(_ => Names.Unique("one-")).ToArray();
        var two = Enumerable.Range(0, 2).Select(_ => Names.Unique("two-")).ToArray();
        await using var onOne = await RawPusherClient.Connect(_server.WebSocketUri("key-1"));
        await using var onTwo = await RawPusherClient.Connect(_server.WebSocketUri("key-2"));
        foreach (var (client, channel) in one.Select(c => (onOne, c)).Concat(two.Select(c => (onTwo, c))))
        {
            await client.Subscribe(channel);
        }

        var requests = await Eventually.Get(() => Task.FromResult(_receiver.On("/batch")), r => r.Sum(x => x.Events.Count) >= 5, "5 events");
        Assert.Equal(2, requests.Count);
        var byKey = requests.ToDictionary(r => r.Headers["X-Pusher-Key"]);
        Assert.True(byKey["key-1"].IsSignedWith("key-1", "secret-1"));
        Assert.True(byKey["key-2"].IsSignedWith("key-2", "secret-2"));
        Assert.Equal(one, byKey["key-1"].Events.Select(e => e.GetProperty("channel").GetString()));
        Assert.Equal(two, byKey["key-2"].Events.Select(e => e.GetProperty("channel").GetString()));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_config)!, recursive: true);
    }
}
