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

    /// <summary>
    /// Slowloris: a message sent one byte at a time never completes, so it never counts as activity;
    /// the server pings and, with no pong, closes 4201 after the activity and pong timeouts.
    /// </summary>
    [Fact]
    public async Task A_message_that_trickles_in_byte_by_byte_is_cut_off_by_the_activity_check()
    {
        var channel = Names.Unique("slowloris-");
        using var slow = new ClientWebSocket();
        await slow.ConnectAsync(Server.WebSocketUri(), CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var message = System.Text.Encoding.UTF8.GetBytes($$$"""{"event":"pusher:subscribe","data":{"channel":"{{{channel}}}"}}""");
        var trickle = Task.Run(async () =>
        {
            try
            {
                foreach (var b in message.Take(message.Length - 1))
                {
                    await slow.SendAsync(new[] { b }, WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
                    await Task.Delay(100);
                }
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
            {
                // cut off, as expected
            }
        });

        var frames = new List<string>();
        var buffer = new byte[4096];
        WebSocketReceiveResult result;
        while ((result = await slow.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token)).MessageType != WebSocketMessageType.Close)
        {
            frames.Add(System.Text.Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        Assert.Equal((WebSocketCloseStatus)4201, result.CloseStatus);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(6));
        Assert.Equal(Frames.Ping, frames[^1]);
        Assert.StartsWith("{\"event\":\"pusher:connection_established\"", frames[0]);
        await trickle;
    }
}
