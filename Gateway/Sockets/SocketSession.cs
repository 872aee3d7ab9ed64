using System.Buffers;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Gateway.Quotas;
using SoketiOrleans.Gateway.Users;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// Runs one connection: reads whole messages (bounded in size), handles them one at a time in
/// arrival order, and leaves every channel when the connection ends. Nothing a client sends can
/// end more than its own connection.
/// </summary>
/// <param name="slot">The connection's place in its app's quota, given back when the session ends.</param>
/// <param name="activityTimeoutSeconds">What <c>connection_established</c> tells the client.</param>
internal sealed partial class SocketSession(
    PusherSocket socket,
    WebSocket webSocket,
    ConnectionSlot slot,
    int activityTimeoutSeconds,
    ChannelSubscriptions subscriptions,
    ClientEvents clientEvents,
    UserSignIns users,
    SocketRegistry registry,
    ILogger logger)
{
    private const int InitialBufferSize = 4096;

    /// <summary>The connection's life: ends when the client is gone, with the WebSocket disposed and the quota slot given back.</summary>
    public async Task Run(CancellationToken aborted)
    {
        registry.Add(socket);
        socket.Metrics.Connected();
        LogConnected(logger, socket.Id, socket.App.Id);
        socket.Send(ServerFrames.ConnectionEstablished(socket.Id, activityTimeoutSeconds));
        try
        {
            // Reads on after the server closes, until the client answers (or is cut off), so the handshake completes.
            while (true)
            {
                // An idle socket holds no buffer: a zero-byte read waits for the next message, and a
                // buffer is rented only for reading it. On the server's own WebSocket the wait is
                // this method's, so that the socket does not hold a receive in progress as well.
                if (webSocket is PipeWebSocket pipe && !pipe.InputArrived(await pipe.WaitForInputAsync(aborted)))
                {
                    break;
                }

                var next = await webSocket.ReceiveAsync(Memory<byte>.Empty, aborted);
                if (next.MessageType == WebSocketMessageType.Close || !await ReceiveMessage(next.EndOfMessage, aborted))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away.
        }
        catch (IOException)
        {
            // The connection failed (a reset) under the wait for input, which meets the transport's
            // own exception where a receive would have turned it into a WebSocketException: the
            // WebSocket is aborted as that receive would have, so no close is written to a dead socket.
            webSocket.Abort();
        }
        finally
        {
            socket.Close(ClientCloseCode(webSocket), "");
            await subscriptions.UnsubscribeAll(socket);
            users.SignOut(socket);
            registry.Remove(socket);
            socket.Metrics.Disconnected();
            LogDisconnected(logger, socket.Id, socket.App.Id, (int?)webSocket.CloseStatus);
            await Task.WhenAny(socket.OutputEnded, Task.Delay(PusherSocket.CloseHandshakeTimeout, CancellationToken.None));
            socket.SessionEnded();
            webSocket.Dispose();
            slot.Dispose();
        }
    }

    /// <param name="ended">The message already ended (it is empty).</param>
    /// <returns>False when the connection is done: a close arrived, or the message was too big.</returns>
    private async Task<bool> ReceiveMessage(bool ended, CancellationToken aborted)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        var length = 0;
        try
        {
            while (!ended)
            {
                if (length == Capacity(buffer) && !TryGrow(ref buffer, length))
                {
                    // Pusher has no code of its own for this; 4300 ("other error", like a malformed message)
                    // lets pusher-js reconnect as it would after 1009, but says why first.
                    var tooBig = $"Message too big: at most {socket.App.MaxClientMessageBytes} bytes.";
                    socket.Send(PusherFrame.Error(PusherCloseCodes.InvalidMessage, tooBig));
                    socket.Close(PusherCloseCodes.InvalidMessage, tooBig);
                    return false;
                }

                var result = await webSocket.ReceiveAsync(buffer.AsMemory(length, Capacity(buffer) - length), aborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return false;
                }

                length += result.Count;
                ended = result.EndOfMessage;
            }

            socket.Touch();
            socket.Metrics.MessageReceived(length);
            if (!socket.IsClosing)
            {
                await Handle(buffer.AsMemory(0, length));
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>How much of the buffer a message may fill: the pool may hand out more than the limit.</summary>
    private int Capacity(byte[] buffer) => Math.Min(buffer.Length, socket.App.MaxClientMessageBytes);

    private bool TryGrow(ref byte[] buffer, int length)
    {
        var max = socket.App.MaxClientMessageBytes;
        if (buffer.Length >= max)
        {
            return false;
        }

        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(max, (long)buffer.Length * 2));
        buffer.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = bigger;
        return true;
    }

    private async Task Handle(ReadOnlyMemory<byte> utf8)
    {
        using var message = ClientMessage.Parse(utf8, out var error);
        if (message is null)
        {
            socket.Send(PusherFrame.Error(PusherCloseCodes.InvalidMessage, error!));
            return;
        }

        try
        {
            await Dispatch(message);
        }
        catch (Exception e)
        {
            LogHandlingFailed(logger, e, message.Event, socket.Id);
            socket.Send(PusherFrame.Error(PusherCloseCodes.ServerError, "A server error has occurred."));
        }
    }

    private Task Dispatch(ClientMessage message)
    {
        switch (message.Event)
        {
            case PusherEvents.Ping:
                socket.Send(ServerFrames.Pong);
                return Task.CompletedTask;
            case PusherEvents.Pong:
                return Task.CompletedTask;
            case PusherEvents.Subscribe:
                return subscriptions.Subscribe(socket, message);
            case PusherEvents.SignIn:
                return users.SignIn(socket, message);
            case PusherEvents.Unsubscribe:
                if (message.DataString("channel") is { } channel)
                {
                    return subscriptions.Unsubscribe(socket, channel);
                }

                socket.Send(PusherFrame.Error(PusherCloseCodes.InvalidMessage, "Invalid message format: pusher:unsubscribe needs data.channel as a string."));
                return Task.CompletedTask;
            default:
                if (IsClientEvent(message))
                {
                    return clientEvents.Relay(socket, message);
                }

                LogUnknownEvent(logger, message.Event, socket.Id);
                return Task.CompletedTask;
        }
    }

    /// <summary>
    /// <c>client-*</c> events, and any other event for a channel that is not a protocol event: it is
    /// refused for its name rather than dropped without a word.
    /// </summary>
    private static bool IsClientEvent(ClientMessage message) =>
        message.Event.StartsWith(PusherEvents.ClientEventPrefix, StringComparison.Ordinal)
        || (message.Channel is not null && !message.Event.StartsWith("pusher", StringComparison.Ordinal));

    /// <summary>Answers a client's close with its own code; otherwise a normal close.</summary>
    private static int ClientCloseCode(WebSocket webSocket) =>
        (int)(webSocket.CloseStatus ?? WebSocketCloseStatus.NormalClosure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling {Event} from socket {SocketId} failed")]
    private static partial void LogHandlingFailed(ILogger logger, Exception exception, string @event, string socketId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Socket {SocketId} of app {AppId} connected")]
    private static partial void LogConnected(ILogger logger, string socketId, string appId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Socket {SocketId} of app {AppId} disconnected (close code {CloseCode})")]
    private static partial void LogDisconnected(ILogger logger, string socketId, string appId, int? closeCode);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored unknown event {Event} from socket {SocketId}")]
    private static partial void LogUnknownEvent(ILogger logger, string @event, string socketId);
}
