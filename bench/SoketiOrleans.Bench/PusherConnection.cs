using System.Net.WebSockets;
using System.Text;
using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench;

/// <summary>Called on the socket's receive loop for every frame; the span is only valid during the call.</summary>
public delegate void FrameHandler(PusherConnection connection, FrameKind kind, ReadOnlySpan<byte> frame);

/// <summary>
/// One Pusher client socket: answers pings, tracks the one subscribe in flight, reports protocol errors and
/// drops, and hands every frame to the scenario's handler.
/// </summary>
public sealed class PusherConnection
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SubscribeTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket socket;
    private readonly Errors errors;
    private readonly FrameHandler handler;
    // Sends come from the scenario and from the receive loop (pongs, replies); a WebSocket takes one at a time.
    private readonly SemaphoreSlim sending = new(1, 1);
    private byte[] buffer = new byte[4096];
    private TaskCompletionSource<bool>? pendingSubscription;
    private Task receiving = Task.CompletedTask;
    private volatile bool closing;
    private int dead;

    private PusherConnection(ClientWebSocket socket, Errors errors, FrameHandler handler)
    {
        this.socket = socket;
        this.errors = errors;
        this.handler = handler;
    }

    public string SocketId { get; private set; } = "";

    /// <summary>Connects and returns once <c>pusher:connection_established</c> has arrived (the handshake latency).</summary>
    public static async Task<PusherConnection> OpenAsync(RunContext context, FrameHandler handler, CancellationToken cancellation, HttpMessageInvoker? invoker = null)
    {
        var socket = new ClientWebSocket();
        // The server's pusher:ping is answered instead; WebSocket keep-alive pings would be extra load on both sides.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        var connection = new PusherConnection(socket, context.Errors, handler);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(HandshakeTimeout);
            await socket.ConnectAsync(context.Target.WebSocketUri, invoker ?? context.Invoker, timeout.Token);
            var length = await connection.ReceiveFrameAsync(timeout.Token);
            if (length < 0)
                throw new WebSocketException($"closed before connection_established: {(int?)socket.CloseStatus} {socket.CloseStatusDescription}");
            var first = connection.buffer.AsSpan(0, length);
            if (FrameScanner.Kind(first) != FrameKind.ConnectionEstablished || FrameScanner.SocketId(first) is not { } socketId)
                throw new WebSocketException("expected connection_established, got " + Encoding.UTF8.GetString(first));
            connection.SocketId = socketId;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        connection.receiving = connection.ReceiveLoopAsync();
        return connection;
    }

    /// <summary>Sends without waiting; a failure is reported, not thrown, because nobody awaits it.</summary>
    public void Send(ReadOnlyMemory<byte> frame) => _ = SendAsync(frame);

    public async Task SendAsync(ReadOnlyMemory<byte> frame)
    {
        await sending.WaitAsync();
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception e)
        {
            if (!closing)
                errors.Report($"send on socket {SocketId} failed: {e.Message}");
        }
        finally
        {
            sending.Release();
        }
    }

    /// <summary>
    /// Sends a prepared subscribe frame; true on subscription_succeeded, false on an error frame, a dead socket
    /// or no answer in time (all reported). One subscribe at a time per socket.
    /// </summary>
    public async Task<bool> SubscribeAsync(ReadOnlyMemory<byte> subscribeFrame, CancellationToken cancellation = default)
    {
        var result = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref pendingSubscription, result);
        if (Volatile.Read(ref dead) == 1)
            return false;
        Send(subscribeFrame);
        try
        {
            return await result.Task.WaitAsync(SubscribeTimeout, cancellation);
        }
        catch (TimeoutException)
        {
            errors.Report($"socket {SocketId}: no answer to a subscribe within {SubscribeTimeout.TotalSeconds} s");
            return false;
        }
    }

    /// <summary>Drops the connection without a close handshake; over a socket with linger 0 the server sees a TCP reset.</summary>
    public void Reset()
    {
        closing = true;
        socket.Abort();
        socket.Dispose();
    }

    /// <summary>Closes the WebSocket properly and waits for the server's close; a server that does not answer in time is an error.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        closing = true;
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var deadline = new CancellationTokenSource(timeout);
                await sending.WaitAsync(deadline.Token);
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", deadline.Token);
                }
                finally
                {
                    sending.Release();
                }
                await receiving.WaitAsync(deadline.Token);
            }
        }
        catch (Exception e)
        {
            errors.Report($"closing socket {SocketId} failed: {e.Message}");
        }
        finally
        {
            socket.Dispose();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            int length;
            while ((length = await ReceiveFrameAsync(CancellationToken.None)) >= 0)
                Dispatch(buffer.AsSpan(0, length));
            if (!closing)
                errors.Report($"socket {SocketId} closed by the server: {(int?)socket.CloseStatus} {socket.CloseStatusDescription}");
        }
        catch (Exception e)
        {
            if (!closing)
                errors.Report($"socket {SocketId} dropped: {e.Message}");
        }
        finally
        {
            Volatile.Write(ref dead, 1);
            Interlocked.Exchange(ref pendingSubscription, null)?.TrySetResult(false);
        }
    }

    /// <summary>The next whole message into <see cref="buffer"/> (grown when a message does not fit); -1 on close.</summary>
    private async ValueTask<int> ReceiveFrameAsync(CancellationToken cancellation)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
                Array.Resize(ref buffer, buffer.Length * 2);
            var received = await socket.ReceiveAsync(buffer.AsMemory(length), cancellation);
            if (received.MessageType == WebSocketMessageType.Close)
                return -1;
            length += received.Count;
            if (received.EndOfMessage)
                return length;
        }
    }

    private void Dispatch(ReadOnlySpan<byte> frame)
    {
        var kind = FrameScanner.Kind(frame);
        switch (kind)
        {
            case FrameKind.Ping:
                Send(OutgoingFrames.Pong);
                return;
            case FrameKind.SubscriptionSucceeded:
                Interlocked.Exchange(ref pendingSubscription, null)?.TrySetResult(true);
                break;
            case FrameKind.SubscriptionError or FrameKind.Error:
                errors.Report($"socket {SocketId} got {Encoding.UTF8.GetString(frame)}");
                Interlocked.Exchange(ref pendingSubscription, null)?.TrySetResult(false);
                break;
        }
        handler(this, kind, frame);
    }
}
