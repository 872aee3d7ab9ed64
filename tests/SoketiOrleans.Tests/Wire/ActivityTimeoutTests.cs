using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

public sealed class ShortActivityTimeoutFixture : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["SOKETI_WEBSOCKETS_ACTIVITY_TIMEOUT"] = "1",
        ["SOKETI_WEBSOCKETS_PONG_TIMEOUT"] = "1",
    };
}

/// <summary>The server's side of Pusher's activity check: it pings silent sockets and drops those that do not answer.</summary>
public sealed class ActivityTimeoutTests(ShortActivityTimeoutFixture fixture) : IClassFixture<ShortActivityTimeoutFixture>
{
    private static readonly TimeSpan PingWithin = TimeSpan.FromSeconds(5);

    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Connection_established_reports_the_configured_activity_timeout()
    {
        await using var client = await RawPusherClient.Open(Server.WebSocketUri());
        var frame = await client.NextJson();

        var data = JsonDocument.Parse(frame.GetProperty("data").GetString()!).RootElement;
        Assert.Equal(1, data.GetProperty("activity_timeout").GetInt32());
    }

    [Fact]
    public async Task Silent_client_is_pinged_after_the_activity_timeout()
    {
        var clock = Stopwatch.StartNew();
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        Assert.Equal(Frames.Ping, await client.Next(PingWithin));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"Pinged after only {clock.Elapsed}");
    }

    [Fact]
    public async Task Client_that_answers_the_ping_stays_connected_and_is_pinged_again()
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        Assert.Equal(Frames.Ping, await client.Next(PingWithin));
        await client.SendText(Frames.Pong);
        Assert.Equal(Frames.Ping, await client.Next(PingWithin));
        await client.SendText(Frames.Pong);
        Assert.Equal(Frames.Ping, await client.Next(PingWithin));
        await client.SendText(Frames.Pong);

        Assert.Equal(WebSocketState.Open, client.State);
        await client.ExpectPong();
    }

    [Fact]
    public async Task Client_that_ignores_the_ping_is_closed_with_4201()
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        Assert.Equal(Frames.Ping, await client.Next(PingWithin));
        Assert.Equal((WebSocketCloseStatus)4201, (await client.WaitForClose(PingWithin)).Status);
    }
}
