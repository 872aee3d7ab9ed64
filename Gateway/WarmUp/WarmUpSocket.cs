using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.WarmUp;

/// <summary>A Pusher client socket of the warm-up: what it sends, and the frames it waits for.</summary>
internal sealed class WarmUpSocket : IAsyncDisposable
{
    private static readonly JsonSerializerOptions LeaveOutNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly ClientWebSocket _socket;
    private readonly App _app;
    private readonly byte[] _buffer = new byte[16 * 1024];

    private WarmUpSocket(ClientWebSocket socket, App app, string id)
    {
        _socket = socket;
        _app = app;
        Id = id;
    }

    public string Id { get; }

    public static async Task<WarmUpSocket> Open(Uri server, App app, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        // The server's own certificate, reached on an address its name may not match.
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        try
        {
            var scheme = server.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
            var uri = new Uri($"{scheme}://{server.Authority}{server.AbsolutePath.TrimEnd('/')}/app/{app.Key}?protocol=7&client=warm-up&version=1");
            await socket.ConnectAsync(uri, cancellationToken);
            using var established = await Receive(socket, new byte[4096], cancellationToken);
            using var data = JsonDocument.Parse(established.RootElement.GetProperty("data").GetString()!);
            return new WarmUpSocket(socket, app, data.RootElement.GetProperty("socket_id").GetString()!);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task Send(string frame, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Subscribes, signed for a private or presence channel; a presence member is named after the socket.</summary>
    public Task Subscribe(string channel, CancellationToken cancellationToken)
    {
        var channelData = ChannelName.IsPresence(channel) ? JsonSerializer.Serialize(new { user_id = Id, user_info = new { } }) : null;
        var auth = ChannelName.TypeOf(channel) == ChannelType.Public ? null : ChannelAuthorization.Sign(_app, Id, channel, channelData);
        return Send(JsonSerializer.Serialize(new { @event = PusherEvents.Subscribe, data = new { channel, auth, channel_data = channelData } }, LeaveOutNulls), cancellationToken);
    }

    /// <summary>Waits for the event on the channel, skipping other frames; a Pusher error ends the warm-up.</summary>
    public async Task Expect(string eventName, string? channel, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var frame = await Receive(_socket, _buffer, cancellationToken);
            var root = frame.RootElement;
            var name = root.GetProperty("event").GetString();
            if (name is PusherEvents.Error or PusherEvents.SubscriptionError)
            {
                throw new InvalidOperationException($"the warm-up's socket was answered {root.GetRawText()}");
            }

            if (name == eventName && (channel is null || root.TryGetProperty("channel", out var c) && c.GetString() == channel))
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closing.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Closed already, or the server is gone: nothing to hand back.
        }

        _socket.Dispose();
    }

    private static async Task<JsonDocument> Receive(ClientWebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"the server closed the warm-up's socket ({socket.CloseStatus})");
            }

            length += received.Count;
            if (received.EndOfMessage)
            {
                return JsonDocument.Parse(buffer.AsMemory(0, length));
            }

            if (length == buffer.Length)
            {
                throw new InvalidOperationException("a frame larger than the warm-up expects");
            }
        }
    }
}
