using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Connections;

namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// The server side of a WebSocket (RFC 6455, no extensions) read and written straight on a Kestrel
/// connection's pipes: frame headers are parsed where the bytes arrived, payloads are unmasked into
/// the reader's buffer, and a frame is written as one header and one copy. It behaves as
/// <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>'s server socket does:
/// a broken frame is answered with a close (1002, or 1007 for text that is not UTF-8) and a
/// <see cref="WebSocketException"/> (unlike it, the socket is not aborted then, so the close is not
/// lost to a cut connection); a ping is answered with a pong; one receive and one send may
/// run at once.
/// </summary>
internal sealed class PipeWebSocket(ConnectionContext connection) : WebSocket
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The event loop serving the connection, when its transport has them.</summary>
    internal IConnectionLoop? Loop { get; } = connection as IConnectionLoop;

    private readonly PipeReader _input = connection.Transport.Input;
    private readonly PipeWriter _output = connection.Transport.Output;

    /// <summary>One frame written at a time (a pong or a protocol error's close can meet a send); locked, it guards the state.</summary>
    private readonly SemaphoreSlim _sending = new(1, 1);

    private WebSocketState _state = WebSocketState.Open;
    private bool _closeSent;

    /// <summary>A frame broke the protocol and the close that says so is sent.</summary>
    private bool _failed;
    private bool _disposed;
    private WebSocketCloseStatus? _closeStatus;
    private string? _closeStatusDescription;

    // The data frame being received: what is left of its payload, its mask and where in the mask.
    private long _remaining;
    private uint _mask;
    private int _maskOffset;
    private bool _finalFrame = true;
    private WebSocketMessageType _messageType;
    private Utf8Pieces _text;

    /// <summary>The last send was a fragment: the next continues its message.</summary>
    private bool _sendContinues;

    /// <summary>A wait for input (<see cref="WaitForInputAsync"/>) is out, and its read not yet given back.</summary>
    private bool _waiting;

    public override WebSocketCloseStatus? CloseStatus => _closeStatus;

    public override string? CloseStatusDescription => _closeStatusDescription;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await ReceiveAsync(buffer.AsMemory(), cancellationToken);
        return new WebSocketReceiveResult(result.Count, result.MessageType, result.EndOfMessage, _closeStatus, _closeStatusDescription);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_state is not (WebSocketState.Open or WebSocketState.CloseSent))
        {
            throw new WebSocketException(WebSocketError.InvalidState, $"A WebSocket in state {_state} cannot receive.");
        }

        try
        {
            while (_remaining == 0)
            {
                var read = await _input.ReadAsync(ReadToken(cancellationToken));
                var received = Received(read);
                var outcome = FrameHeader.TryRead(received, out var header);
                if (outcome == FrameHeader.Outcome.Invalid || (outcome == FrameHeader.Outcome.Read && !FollowsMessage(header)))
                {
                    _input.AdvanceTo(received.Start);
                    await Fail(WebSocketCloseStatus.ProtocolError, "The client sent a frame that breaks the WebSocket protocol.");
                }

                if (outcome == FrameHeader.Outcome.NeedMore || (header.IsControl && received.Length < header.Length + header.PayloadLength))
                {
                    _input.AdvanceTo(received.Start, received.End);
                    if (read.IsCompleted)
                    {
                        throw EndedInsideFrame();
                    }

                    continue;
                }

                if (header.IsControl)
                {
                    if (await ReadControl(header, received))
                    {
                        return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, endOfMessage: true);
                    }

                    continue;
                }

                _input.AdvanceTo(received.GetPosition(header.Length));
                StartFrame(header);
                if (header.PayloadLength == 0)
                {
                    await CheckText(ReadOnlyMemory<byte>.Empty, header.Fin);
                    return new ValueWebSocketReceiveResult(0, _messageType, header.Fin);
                }
            }

            if (buffer.IsEmpty)
            {
                return new ValueWebSocketReceiveResult(0, _messageType, endOfMessage: false);
            }

            var payload = Received(await _input.ReadAsync(ReadToken(cancellationToken)));
            if (payload.IsEmpty)
            {
                _input.AdvanceTo(payload.End);
                throw EndedInsideFrame();
            }

            var count = (int)Math.Min(Math.Min(buffer.Length, _remaining), payload.Length);
            var into = buffer.Span[..count];
            payload.Slice(0, count).CopyTo(into);
            _input.AdvanceTo(payload.GetPosition(count));
            _maskOffset = FrameHeader.Unmask(into, _mask, _maskOffset);
            _remaining -= count;
            var ended = _remaining == 0 && _finalFrame;
            await CheckText(buffer[..count], ended);
            return new ValueWebSocketReceiveResult(count, _messageType, ended);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (_failed)
            {
                // The close for a broken frame is out: the connection ends after it rather than being
                // cut, which could drop it unsent.
                throw;
            }

            var wasAborted = _state == WebSocketState.Aborted;
            Abort();
            if (wasAborted)
            {
                throw new OperationCanceledException(nameof(WebSocketState.Aborted), e);
            }

            throw e as WebSocketException ?? new WebSocketException(WebSocketError.ConnectionClosedPrematurely, e);
        }
    }

    /// <summary>
    /// Waits until bytes arrive, or the input ends or is aborted, without taking any: the read is
    /// given back with <see cref="InputArrived"/>, and a receive then finds what it brought. Awaited
    /// by the caller itself, so that an idle socket holds the caller's pending operation alone, not a
    /// receive's as well (304 bytes for each socket). On the server's own transport a reset ends the
    /// wait as the end of the input does (<see cref="IQuietReader"/>).
    /// </summary>
    internal ValueTask<ReadResult> WaitForInputAsync(CancellationToken cancellationToken)
    {
        if (_state is not (WebSocketState.Open or WebSocketState.CloseSent))
        {
            // The receive after it says why not.
            return default;
        }

        _waiting = true;
        return _input is IQuietReader quiet ? quiet.ReadQuietlyAsync(ReadToken(cancellationToken)) : _input.ReadAsync(ReadToken(cancellationToken));
    }

    /// <summary>Gives back what <see cref="WaitForInputAsync"/> read, unconsumed and unexamined.</summary>
    /// <returns>
    /// Whether there is anything to receive: false when the client is gone (the input ended with
    /// nothing unread; the socket is aborted then, as a receive would have aborted it, without the
    /// exception the receive would throw) or the wait was cancelled (by <see cref="Abort"/> or
    /// <see cref="Dispose"/>).
    /// </returns>
    internal bool InputArrived(in ReadResult read)
    {
        if (!_waiting)
        {
            // Not waited for: the socket was not open, and the receive after it says why.
            return true;
        }

        _waiting = false;
        _input.AdvanceTo(read.Buffer.Start);
        if (read.IsCanceled || (read.IsCompleted && read.Buffer.IsEmpty))
        {
            Abort();
            return false;
        }

        return true;
    }

    /// <summary>
    /// The connection's own closed token is not registered for every read (a registration each
    /// message, and one held by every idle socket): the transport completes the input, which ends the
    /// read, before it signals that token.
    /// </summary>
    private CancellationToken ReadToken(CancellationToken cancellationToken) =>
        cancellationToken == connection.ConnectionClosed ? CancellationToken.None : cancellationToken;

    /// <summary>The bytes a read brought, unless an abort cut the read short.</summary>
    private static ReadOnlySequence<byte> Received(ReadResult read) =>
        read.IsCanceled ? throw new OperationCanceledException(nameof(WebSocketState.Aborted)) : read.Buffer;

    private static WebSocketException EndedInsideFrame() =>
        new(WebSocketError.ConnectionClosedPrematurely, "The connection ended inside a frame.");

    private void StartFrame(FrameHeader header)
    {
        if (header.Opcode != FrameHeader.Continuation)
        {
            _messageType = header.Opcode == FrameHeader.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
            _text.Reset();
        }

        _finalFrame = header.Fin;
        _remaining = header.PayloadLength;
        _mask = header.Mask;
        _maskOffset = 0;
    }

    /// <summary>A continuation continues a message, and a new message starts only after the last one ended.</summary>
    private bool FollowsMessage(FrameHeader header) =>
        header.IsControl || (header.Opcode == FrameHeader.Continuation) != _finalFrame;

    /// <summary>Handles a whole control frame at the start of <paramref name="received"/>.</summary>
    /// <returns>True for a close.</returns>
    private async ValueTask<bool> ReadControl(FrameHeader header, ReadOnlySequence<byte> received)
    {
        var length = (int)header.PayloadLength;
        var payload = new byte[length];
        received.Slice(header.Length, length).CopyTo(payload);
        _input.AdvanceTo(received.GetPosition(header.Length + length));
        FrameHeader.Unmask(payload, header.Mask, 0);
        switch (header.Opcode)
        {
            case FrameHeader.Ping when !_closeSent:
                await SendFrame(FrameHeader.Pong, payload, fin: true, CancellationToken.None);
                return false;
            case FrameHeader.Ping or FrameHeader.Pong:
                return false;
            default:
                await ReceivedClose(payload);
                return true;
        }
    }

    private async ValueTask ReceivedClose(byte[] payload)
    {
        lock (_sending)
        {
            _state = _closeSent ? WebSocketState.Closed : WebSocketState.CloseReceived;
        }

        if (payload.Length == 0)
        {
            _closeStatus = WebSocketCloseStatus.NormalClosure;
            _closeStatusDescription = "";
            return;
        }

        var status = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : 0;
        string? description = null;
        if (IsValidCloseStatus(status))
        {
            try
            {
                description = StrictUtf8.GetString(payload, 2, payload.Length - 2);
            }
            catch (DecoderFallbackException)
            {
                // Answered below as the protocol error it is.
            }
        }

        if (description is null)
        {
            await Fail(WebSocketCloseStatus.ProtocolError, "The client's close frame is malformed.");
        }

        _closeStatus = (WebSocketCloseStatus)status;
        _closeStatusDescription = description;
    }

    private ValueTask CheckText(ReadOnlyMemory<byte> piece, bool last) =>
        _messageType != WebSocketMessageType.Text || _text.Append(piece.Span, last)
            ? ValueTask.CompletedTask
            : Fail(WebSocketCloseStatus.InvalidPayloadData, "The client sent a text message that is not UTF-8.");

    /// <summary>Answers a frame that breaks the protocol with a close, and ends the receive with an exception.</summary>
    private async ValueTask Fail(WebSocketCloseStatus status, string message)
    {
        if (!_closeSent)
        {
            await CloseOutputAsync(status, "", CancellationToken.None);
        }

        _failed = true;
        throw new WebSocketException(WebSocketError.Faulted, message);
    }

    /// <summary>RFC 6455 §7.4: a code a peer may send.</summary>
    private static bool IsValidCloseStatus(int status) =>
        status is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        if (messageType is not (WebSocketMessageType.Text or WebSocketMessageType.Binary))
        {
            throw new ArgumentException("Only text and binary messages are sent with SendAsync.", nameof(messageType));
        }

        var opcode = _sendContinues ? FrameHeader.Continuation : messageType == WebSocketMessageType.Text ? FrameHeader.Text : FrameHeader.Binary;
        _sendContinues = !endOfMessage;
        return SendFrame(opcode, buffer, endOfMessage, cancellationToken);
    }

    public override async Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        var payload = ArrayPool<byte>.Shared.Rent(FrameHeader.MaxControlPayload);
        try
        {
            var length = ClosePayload(closeStatus, statusDescription, payload);
            await SendFrame(FrameHeader.Close, payload.AsMemory(0, length), fin: true, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    public override async Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        if (!_closeSent)
        {
            await CloseOutputAsync(closeStatus, statusDescription, cancellationToken);
        }

        var drain = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            while (_state == WebSocketState.CloseSent && (await ReceiveAsync(drain.AsMemory(), cancellationToken)).MessageType != WebSocketMessageType.Close)
            {
                // Data the client sent before its close.
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(drain);
        }
    }

    /// <summary>Writes the status and as much of the reason as a control frame holds, cut between characters.</summary>
    /// <returns>The payload's length.</returns>
    private static int ClosePayload(WebSocketCloseStatus status, string? reason, Span<byte> payload)
    {
        if (status == WebSocketCloseStatus.Empty)
        {
            return 0;
        }

        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)status);
        // A reason too long for the frame stops before the first character that does not fit whole.
        Utf8.FromUtf16(reason, payload[2..FrameHeader.MaxControlPayload], out _, out var written);
        return 2 + written;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendFrame(byte opcode, ReadOnlyMemory<byte> payload, bool fin, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            lock (_sending)
            {
                if (_closeSent || _state is not (WebSocketState.Open or WebSocketState.CloseReceived))
                {
                    throw new WebSocketException(WebSocketError.InvalidState, $"A WebSocket in state {_state} cannot send.");
                }

                if (opcode == FrameHeader.Close)
                {
                    _closeSent = true;
                    _state = _state == WebSocketState.CloseReceived ? WebSocketState.Closed : WebSocketState.CloseSent;
                }
            }

            var header = _output.GetSpan(FrameHeader.MaxLength);
            _output.Advance(FrameHeader.Write(header, opcode, fin, payload.Length));
            _output.Write(payload.Span);
            var flushed = await _output.FlushAsync(cancellationToken);
            if (flushed.IsCanceled)
            {
                throw new OperationCanceledException(nameof(WebSocketState.Aborted));
            }
        }
        catch (Exception e) when (e is not (WebSocketException or OperationCanceledException))
        {
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, e);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Ends a pending receive or a send held up by a client that does not read; the connection itself is cut when the WebSocket is disposed.</summary>
    public override void Abort()
    {
        lock (_sending)
        {
            if (_state is not (WebSocketState.Closed or WebSocketState.Aborted))
            {
                _state = WebSocketState.Aborted;
            }
        }

        _input.CancelPendingRead();
        _output.CancelPendingFlush();
    }

    public override void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _input.CancelPendingRead();
        _output.CancelPendingFlush();
        bool aborted;
        lock (_sending)
        {
            aborted = _state == WebSocketState.Aborted;
            if (!aborted)
            {
                _state = WebSocketState.Closed;
            }
        }

        if (aborted)
        {
            // Nothing more may go out on a connection whose WebSocket was aborted (a client that
            // vanished, or one too slow to take even the close frame).
            connection.Abort();
        }
    }
}
