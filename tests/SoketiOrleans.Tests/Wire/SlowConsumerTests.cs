using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>A server that lets at most 64 KB queue up for one socket.</summary>
public sealed class SmallBackpressureFixture : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Environment =>
        new Dictionary<string, string> { ["SOKETI_WEBSOCKETS_MAX_BACKPRESSURE_IN_KB"] = "64" };
}

public sealed class SlowConsumerTests(SmallBackpressureFixture fixture) : IClassFixture<SmallBackpressureFixture>, IDisposable
{
    private const int EventBytes = 60 * 1024;
    private const int Events = 100; // about 6 MB: twice what loopback buffers took before the server gave up in trials

    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    [Fact]
    public async Task A_socket_that_stops_reading_is_closed_with_4100_and_others_keep_their_events()
    {
        var channel = Names.Unique("firehose-");
        await using var reader = await RawPusherClient.Connect(fixture.Server.WebSocketUri());
        await reader.SubscribePublic(channel);
        var (stalledClient, _) = await SubscribeWithTinyReceiveBuffer(channel);
        using var stalled = stalledClient;
        var (neverReadsClient, neverReadsPort) = await SubscribeWithTinyReceiveBuffer(channel);
        using var neverReads = neverReadsClient;
        Assert.True(ProcessSockets.Holds(fixture.Server.Pid, fixture.Server.Port, neverReadsPort), "the server's socket of a connected client not found");

        // The stalled socket reads nothing while far more than its 64 KB allowance is published.
        for (var i = 0; i < Events; i++)
        {
            ApiAssert.IsOk(await _api.Trigger(channel, "chunk", new string('x', EventBytes)));
            Assert.Contains("\"chunk\"", await reader.Next());
        }

        var received = 0;
        while (true)
        {
            var frame = await ReceiveFrame(stalled);
            if (frame.MessageType == WebSocketMessageType.Close)
            {
                Assert.Equal(((WebSocketCloseStatus)4100, "Connection closed: the client does not read fast enough"),
                    (stalled.CloseStatus, stalled.CloseStatusDescription));
                break;
            }

            received++;
        }

        Assert.InRange(received, 1, Events - 1); // what was queued before it fell behind, not everything

        // Even the close frame cannot reach a socket that never reads: the server cuts it off and forgets it.
        await Eventually.Get(() => _api.Get($"/channels/{channel}"), r => r.Body.Contains("\"subscription_count\":1"), "the stalled sockets to be dropped");

        // ... the connection itself too: the server's process no longer holds its socket, although
        // what the server had queued for it could still not be sent.
        await Eventually.Get(() => Task.FromResult(ProcessSockets.Holds(fixture.Server.Pid, fixture.Server.Port, neverReadsPort)), held => !held,
            "the server to close the socket of the client that never reads");
    }

    /// <returns>The client and its local port.</returns>
    private async Task<(ClientWebSocket Client, int Port)> SubscribeWithTinyReceiveBuffer(string channel)
    {
        var (client, port) = await ConnectWithTinyReceiveBuffer();
        await Send(client, $$$"""{"event":"pusher:subscribe","data":{"channel":"{{{channel}}}"}}""");
        Assert.Contains("connection_established", await Receive(client));
        Assert.Contains("subscription_succeeded", await Receive(client));
        return (client, port);
    }

    /// <summary>A client socket whose kernel receive buffer is tiny, so unread frames back up to the server quickly.</summary>
    private async Task<(ClientWebSocket Client, int Port)> ConnectWithTinyReceiveBuffer()
    {
        var port = 0;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, token);
                port = ((IPEndPoint)socket.LocalEndPoint!).Port;
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var client = new ClientWebSocket();
        await client.ConnectAsync(fixture.Server.WebSocketUri(), new HttpMessageInvoker(handler), CancellationToken.None);
        return (client, port);
    }

    private static Task Send(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<string> Receive(ClientWebSocket socket) => (await ReceiveFrame(socket)).Text;

    private static async Task<(WebSocketMessageType MessageType, string Text)> ReceiveFrame(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(RawPusherClient.DefaultTimeout);
        var buffer = new byte[128 * 1024];
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += result.Count;
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, Encoding.UTF8.GetString(buffer, 0, length));
            }
        }
    }

    public void Dispose() => _api.Dispose();
}
