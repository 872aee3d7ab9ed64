using System.Diagnostics;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// A webhook receiver that never answers holds up nothing but its own queue. Its attempts last the
/// webhook timeout, 20 s here: anything waiting on it would take that long, far beyond the bound
/// asserted, whatever the machine's load.
/// </summary>
public sealed class WebhookHangTests : IAsyncLifetime
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(3);

    private readonly WebhookReceiver _receiver = new();
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        _receiver.Answer("/hang", _ => null);
        _server = await ServerProcess.Start(new Dictionary<string, string>
        {
            ["SOKETI_WEBHOOKS_TIMEOUT"] = "20000",
            ["SOKETI_DEFAULT_APP_WEBHOOKS"] = $$"""
                [
                  {"url":"{{_receiver.Url("/hang")}}","event_types":["channel_occupied"]},
                  {"url":"{{_receiver.Url("/all")}}","event_types":["channel_occupied","channel_vacated"]}
                ]
                """,
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_receiver_that_never_answers_delays_neither_events_nor_other_webhooks()
    {
        var channel = Names.Unique("hang-");
        using var api = new PusherApi(_server.HttpUri);
        await using var client = await RawPusherClient.Connect(_server.WebSocketUri());
        await client.SubscribePublic(channel);
        await Eventually.Get(() => Task.FromResult(_receiver.On("/hang")), r => r.Count >= 1, "the hanging receiver to be called");

        var clock = Stopwatch.StartNew();
        ApiAssert.IsOk(await api.Trigger(channel, "still-flowing", "1"));
        Assert.Equal($$"""{"event":"still-flowing","channel":"{{channel}}","data":"1"}""", await client.Next(Prompt));
        await client.Unsubscribe(channel);
        Assert.Equal("channel_occupied,channel_vacated", WebhookReceiver.Names(await _receiver.WaitForEvents("/all", channel, 2, Prompt)));
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed} while the hanging attempt lasts 20 s");
        Assert.Single(_receiver.On("/hang")); // still inside its first attempt
    }
}
