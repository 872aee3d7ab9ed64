using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// A bare WebSocket speaking Pusher frames, for asserting exact wire behaviour. Every received frame
/// is kept as its raw text, in order.
/// </summary>
public sealed class RawPusherClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a frame that should not come is waited for: on loopback a wrong delivery arrives in
    /// milliseconds, and every absence check costs this much of the suite's time.
    /// </summary>
    public static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(400);

    private readonly ClientWebSocket _socket;
    private readonly Channel<string> _frames = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<(WebSocketCloseStatus? Status, string? Reason)> _closed =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RawPusherClient(ClientWebSocket socket)
    {
        _socket = socket;
        _ = ReceiveLoop();
    }

    public string SocketId { get; private set; } = "";

    /// <summary>Connects and returns before reading anything.</summary>
    /// <param name="configure">Further options, e.g. which TLS certificate to trust.</param>
    public static async Task<RawPusherClient> Open(Uri uri, string? origin = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        configure?.Invoke(socket.Options);

        await socket.ConnectAsync(uri, CancellationToken.None);
        return new RawPusherClient(socket);
    }

    /// <summary>Connects and reads <c>pusher:connection_established</c>.</summary>
    public static async Task<RawPusherClient> Connect(Uri uri, string? origin = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var client = await Open(uri, origin, configure);
        var established = await client.NextJson();
        Assert.Equal("pusher:connection_established", established.GetProperty("event").GetString());
        client.SocketId = JsonDocument.Parse(established.GetProperty("data").GetString()!).RootElement.GetProperty("socket_id").GetString()!;
        return client;
    }

    public Task SendText(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBytes(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Binary) =>
        _socket.SendAsync(bytes, type, true, CancellationToken.None);

    public Task Send(object message) => SendText(JsonSerializer.Serialize(message));

    public Task Subscribe(string channel, string? auth = null, string? channelData = null) =>
        Send(new
        {
            @event = "pusher:subscribe",
            data = channelData is not null ? new { channel, auth, channel_data = channelData }
                : auth is not null ? (object)new { channel, auth } : new { channel },
        });

    public Task Unsubscribe(string channel) => Send(new { @event = "pusher:unsubscribe", data = new { channel } });

    /// <summary>The next frame as the server wrote it.</summary>
    public async Task<string> Next(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _frames.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No frame arrived in time");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The connection closed ({_closed.Task.Result.Status}) before another frame arrived");
        }
    }

    public async Task<JsonElement> NextJson(TimeSpan? timeout = null) => JsonDocument.Parse(await Next(timeout)).RootElement;

    /// <summary>Skips frames until one with this event (and channel) arrives.</summary>
    public async Task<JsonElement> WaitFor(string eventName, string? channel = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var frame = await NextJson(deadline - DateTime.UtcNow);
            if (frame.GetProperty("event").GetString() == eventName
                && (channel is null || (frame.TryGetProperty("channel", out var c) && c.GetString() == channel)))
            {
                return frame;
            }
        }
    }

    /// <summary>
    /// Asserts nothing arrives within <paramref name="window"/> (by default <see cref="Silence"/>) and
    /// the connection is still open: the only fixed wait, for proving an absence. A closed connection
    /// is not silence: a server that dropped the client would otherwise pass.
    /// </summary>
    public async Task AssertSilent(TimeSpan? window = null)
    {
        var silence = window ?? Silence;
        Assert.True(silence > TimeSpan.Zero, "a silence window of zero proves nothing");
        using var cts = new CancellationTokenSource(silence);
        try
        {
            var frame = await _frames.Reader.ReadAsync(cts.Token);
            Assert.Fail($"Expected no frame but got {frame}");
        }
        catch (OperationCanceledException)
        {
            Assert.Equal(WebSocketState.Open, _socket.State);
        }
        catch (ChannelClosedException)
        {
            Assert.Fail($"Expected silence on an open connection, but it closed ({_closed.Task.Result.Status} {_closed.Task.Result.Reason})");
        }
    }

    /// <summary>
    /// Asserts that nothing has arrived so far and the connection is open: for a second client
    /// checked right after another's <see cref="AssertSilent"/> window, which covered both.
    /// </summary>
    public void AssertNothingReceived()
    {
        Assert.False(_frames.Reader.TryRead(out var frame), $"Expected no frame but got {frame}");
        Assert.Equal(WebSocketState.Open, _socket.State);
    }

    public async Task<(WebSocketCloseStatus? Status, string? Reason)> WaitForClose(TimeSpan? timeout = null)
    {
        var winner = await Task.WhenAny(_closed.Task, Task.Delay(timeout ?? DefaultTimeout));
        return winner == _closed.Task ? await _closed.Task : throw new TimeoutException("The server did not close the connection");
    }

    public WebSocketState State => _socket.State;

    private async Task ReceiveLoop()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult((result.CloseStatus, result.CloseStatusDescription));
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    await _frames.Writer.WriteAsync(Encoding.UTF8.GetString(message.ToArray()));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult((null, e.Message));
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // already gone
        }

        _socket.Dispose();
    }
}
