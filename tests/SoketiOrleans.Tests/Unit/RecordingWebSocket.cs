using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace SoketiOrleans.Tests.Unit;

/// <summary>
/// The network side of a gateway socket in a unit test: keeps every text message the socket's
/// writer sends, in order, and receives nothing.
/// </summary>
internal sealed class RecordingWebSocket : WebSocket
{
    private readonly Channel<string> _sent = Channel.CreateUnbounded<string>();
    private WebSocketState _state = WebSocketState.Open;

    public override WebSocketCloseStatus? CloseStatus { get; } = null;

    public override string? CloseStatusDescription { get; } = null;

    public override WebSocketState State => _state;

    public override string? SubProtocol { get; } = null;

    /// <summary>The next message the socket sent.</summary>
    public async Task<string> Next()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await _sent.Reader.ReadAsync(timeout.Token);
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        _sent.Writer.TryWrite(Encoding.UTF8.GetString(buffer));
        return Task.CompletedTask;
    }

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        _state = WebSocketState.Closed;
        _sent.Writer.TryComplete();
        return Task.CompletedTask;
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public override void Abort() => _state = WebSocketState.Aborted;

    public override void Dispose()
    {
    }
}
