using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using SoketiOrleans.Gateway.Sockets;

namespace SoketiOrleans.Tests.Unit;

/// <summary>
/// The server's WebSocket on a connection's pipes, fed the bytes a client would send (RFC 6455):
/// what it receives, what it writes back byte for byte, and how it fails a frame that breaks the protocol.
/// </summary>
public sealed class PipeWebSocketTests
{
    // Unpaused, so that a test may write a whole large frame before it reads.
    private readonly Pipe _fromClient = new(new PipeOptions(pauseWriterThreshold: 0));
    private readonly Pipe _toClient = new(new PipeOptions(pauseWriterThreshold: 0));
    private readonly PipeWebSocket _socket;

    public PipeWebSocketTests() =>
        _socket = new PipeWebSocket(new DefaultConnectionContext("test", new Duplex(_fromClient.Reader, _toClient.Writer), new Duplex(_toClient.Reader, _fromClient.Writer)));

    /// <summary>A client's frame: masked unless told otherwise, with the given first byte's extra bits.</summary>
    private static byte[] Frame(int opcode, ReadOnlySpan<byte> payload, bool fin = true, bool masked = true, int reserved = 0)
    {
        var frame = new List<byte> { (byte)((fin ? 0x80 : 0) | reserved | opcode) };
        var maskBit = masked ? 0x80 : 0;
        switch (payload.Length)
        {
            case <= 125:
                frame.Add((byte)(maskBit | payload.Length));
                break;
            case <= ushort.MaxValue:
                frame.Add((byte)(maskBit | 126));
                frame.Add((byte)(payload.Length >> 8));
                frame.Add((byte)payload.Length);
                break;
            default:
                frame.Add((byte)(maskBit | 127));
                var length = new byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
                frame.AddRange(length);
                break;
        }

        byte[] mask = [0x37, 0xFA, 0x21, 0x3D];
        if (masked)
        {
            frame.AddRange(mask);
        }

        for (var i = 0; i < payload.Length; i++)
        {
            frame.Add(masked ? (byte)(payload[i] ^ mask[i % 4]) : payload[i]);
        }

        return [.. frame];
    }

    private static byte[] Close(int code, string reason = "")
    {
        var payload = new byte[2 + Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
        return Frame(0x8, payload);
    }

    private async Task FromClient(params byte[][] frames)
    {
        foreach (var frame in frames)
        {
            await _fromClient.Writer.WriteAsync(frame);
        }
    }

    /// <summary>Reads a whole message the way the gateway's session does: a zero-byte wait, then reads into a buffer.</summary>
    private async Task<(WebSocketMessageType Type, string Text)> Receive(int bufferSize = 4096)
    {
        var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token;
        var first = await _socket.ReceiveAsync(Memory<byte>.Empty, timeout);
        if (first.MessageType == WebSocketMessageType.Close || first.EndOfMessage)
        {
            return (first.MessageType, "");
        }

        var message = new MemoryStream();
        var buffer = new byte[bufferSize];
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.AsMemory(), timeout);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, Encoding.UTF8.GetString(message.ToArray()));
            }
        }
    }

    /// <summary>Everything the server has written so far.</summary>
    private async Task<byte[]> Written()
    {
        await _toClient.Writer.FlushAsync();
        var read = await _toClient.Reader.ReadAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
        var bytes = read.Buffer.ToArray();
        _toClient.Reader.AdvanceTo(read.Buffer.End);
        return bytes;
    }

    [Fact]
    public async Task A_message_in_fragments_with_a_ping_between_them_is_received_whole_and_the_ping_answered()
    {
        await FromClient(
            Frame(0x1, "{\"event\":"u8, fin: false),
            Frame(0x9, "are you there"u8),
            Frame(0x0, "\"pusher:ping\",\"data\":{}}"u8));

        Assert.Equal((WebSocketMessageType.Text, "{\"event\":\"pusher:ping\",\"data\":{}}"), await Receive(bufferSize: 7));
        Assert.Equal([0x8A, 13, .. "are you there"u8], await Written());
    }

    [Fact]
    public async Task Bytes_that_arrive_one_at_a_time_make_the_same_message()
    {
        var frame = Frame(0x1, "héllo ✓ 𝄞"u8);
        var receiving = Receive();
        foreach (var b in frame)
        {
            await FromClient([b]);
        }

        Assert.Equal((WebSocketMessageType.Text, "héllo ✓ 𝄞"), await receiving);
    }

    [Theory]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65_535)]
    [InlineData(70_000)]
    public async Task Payload_lengths_in_each_of_the_three_sizes_are_read_and_unmasked(int length)
    {
        var text = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + i % 26)));
        await FromClient(Frame(0x1, Encoding.ASCII.GetBytes(text)));

        Assert.Equal((WebSocketMessageType.Text, text), await Receive(bufferSize: 1000));
    }

    [Fact]
    public async Task An_empty_message_ends_at_once()
    {
        await FromClient(Frame(0x1, []));

        var result = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);

        Assert.Equal((0, WebSocketMessageType.Text, true), (result.Count, result.MessageType, result.EndOfMessage));
    }

    [Theory]
    [InlineData(5, new byte[] { 0x81, 5 })]
    [InlineData(126, new byte[] { 0x81, 126, 0, 126 })]
    [InlineData(70_000, new byte[] { 0x81, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70 })]
    public async Task A_sent_message_is_one_unmasked_frame(int length, byte[] header)
    {
        var payload = Encoding.ASCII.GetBytes(new string('x', length));

        await _socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        var written = await Written();

        Assert.Equal([.. header, .. payload], written);
    }

    [Fact]
    public async Task A_client_close_is_received_with_its_code_and_reason_and_answered_to_a_closed_state()
    {
        await FromClient(Close(4001, "bye ✓"));

        Assert.Equal(WebSocketMessageType.Close, (await Receive()).Type);
        Assert.Equal(((WebSocketCloseStatus)4001, "bye ✓", WebSocketState.CloseReceived), (_socket.CloseStatus, _socket.CloseStatusDescription, _socket.State));

        await _socket.CloseOutputAsync((WebSocketCloseStatus)4001, "", CancellationToken.None);

        Assert.Equal([0x88, 2, 0x0F, 0xA1], await Written());
        Assert.Equal(WebSocketState.Closed, _socket.State);
    }

    [Fact]
    public async Task An_empty_close_reads_as_a_normal_closure()
    {
        await FromClient(Frame(0x8, []));

        Assert.Equal(WebSocketMessageType.Close, (await Receive()).Type);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, _socket.CloseStatus);
    }

    [Fact]
    public async Task A_server_close_first_keeps_receiving_until_the_client_answers()
    {
        await _socket.CloseOutputAsync((WebSocketCloseStatus)4200, "Please reconnect", CancellationToken.None);
        await FromClient(Frame(0x1, "late"u8), Frame(0x9, []), Close(4200));

        Assert.Equal((WebSocketMessageType.Text, "late"), await Receive());
        Assert.Equal(WebSocketMessageType.Close, (await Receive()).Type);
        Assert.Equal(WebSocketState.Closed, _socket.State);
        Assert.Equal([0x88, 18, 0x10, 0x68, .. "Please reconnect"u8], await Written());
    }

    [Fact]
    public async Task A_long_close_reason_is_cut_between_characters_to_fit_a_control_frame()
    {
        await _socket.CloseOutputAsync((WebSocketCloseStatus)4000, new string('é', 100), CancellationToken.None);

        var written = await Written();

        Assert.Equal(2 + 2 + 122, written.Length);
        Assert.Equal(new string('é', 61), Encoding.UTF8.GetString(written.AsSpan(4)));
    }

    public static TheoryData<string, byte[][]> ProtocolErrors => new()
    {
        { "an unmasked frame", [Frame(0x1, "hi"u8, masked: false)] },
        { "a reserved bit", [Frame(0x1, "hi"u8, reserved: 0x40)] },
        { "an unknown data opcode", [Frame(0x3, "hi"u8)] },
        { "an unknown control opcode", [Frame(0xB, "hi"u8)] },
        { "a fragmented control frame", [Frame(0x9, "hi"u8, fin: false)] },
        { "a control frame over 125 bytes", [Frame(0x9, new byte[126])] },
        { "a continuation with no message", [Frame(0x0, "hi"u8)] },
        { "a new message inside a fragmented one", [Frame(0x1, "a"u8, fin: false), Frame(0x1, "b"u8)] },
        { "a close with a one-byte payload", [Frame(0x8, [0x03])] },
        { "a close with a code no peer may send", [Close(1005)] },
        { "a close with a code below 1000", [Close(999)] },
        { "a close whose reason is not UTF-8", [Frame(0x8, [0x03, 0xE8, 0xC3, 0x28])] },
        { "a 64-bit length with its top bit set", [[0x81, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4]] },
    };

    [Theory]
    [MemberData(nameof(ProtocolErrors))]
    public async Task A_frame_that_breaks_the_protocol_is_answered_with_close_1002_and_an_exception(string what, byte[][] frames)
    {
        await FromClient(frames);

        var error = await Assert.ThrowsAsync<WebSocketException>(async () =>
        {
            while (true)
            {
                await Receive();
            }
        });

        Assert.True(error.WebSocketErrorCode == WebSocketError.Faulted, what);
        Assert.Equal([0x88, 2, 0x03, 0xEA], await Written());
        Assert.NotEqual(WebSocketState.Aborted, _socket.State);
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0xC3, 0x28, 0x7D })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xF0, 0x9D })]
    public async Task Text_that_is_not_utf8_is_answered_with_close_1007(byte[] text)
    {
        // Split after the first byte, across two frames.
        await FromClient(Frame(0x1, text.AsSpan(0, 1), fin: false), Frame(0x0, text.AsSpan(1)));

        await Assert.ThrowsAsync<WebSocketException>(() => Receive(bufferSize: 1));
        Assert.Equal([0x88, 2, 0x03, 0xEF], await Written());
    }

    [Fact]
    public async Task A_binary_message_is_not_checked_for_utf8()
    {
        await FromClient(Frame(0x2, [0xC3, 0x28]));

        Assert.Equal(WebSocketMessageType.Binary, (await Receive()).Type);
    }

    [Fact]
    public async Task A_connection_that_ends_inside_a_frame_fails_the_receive_and_aborts()
    {
        await FromClient(Frame(0x1, "hello"u8)[..4]);
        await _fromClient.Writer.CompleteAsync();

        var error = await Assert.ThrowsAsync<WebSocketException>(() => Receive());

        Assert.Equal(WebSocketError.ConnectionClosedPrematurely, error.WebSocketErrorCode);
        Assert.Equal(WebSocketState.Aborted, _socket.State);
    }

    [Fact]
    public async Task Abort_ends_a_pending_receive()
    {
        var receiving = _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).AsTask();

        _socket.Abort();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receiving);
        Assert.Equal(WebSocketState.Aborted, _socket.State);
    }

    [Fact]
    public async Task A_wait_for_input_takes_nothing_and_the_receive_after_it_reads_the_whole_message()
    {
        var waiting = _socket.WaitForInputAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        await FromClient(Frame(0x1, "{\"event\":\"pusher:ping\"}"u8));
        Assert.True(_socket.InputArrived(await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(5))));

        Assert.Equal((WebSocketMessageType.Text, "{\"event\":\"pusher:ping\"}"), await Receive());
    }

    [Fact]
    public async Task A_client_gone_between_messages_ends_the_wait_with_nothing_to_receive_and_aborts_without_an_exception()
    {
        var waiting = _socket.WaitForInputAsync(CancellationToken.None);

        await _fromClient.Writer.CompleteAsync();

        Assert.False(_socket.InputArrived(await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(5))));
        Assert.Equal(WebSocketState.Aborted, _socket.State);
    }

    [Fact]
    public async Task A_close_that_arrived_with_the_end_of_the_input_is_still_received()
    {
        await FromClient(Close(1000, "bye"));
        await _fromClient.Writer.CompleteAsync();

        Assert.True(_socket.InputArrived(await _socket.WaitForInputAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5))));

        Assert.Equal((WebSocketMessageType.Close, ""), await Receive());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, _socket.CloseStatus);
    }

    [Fact]
    public async Task Abort_ends_a_wait_for_input_and_the_receive_after_it()
    {
        var waiting = _socket.WaitForInputAsync(CancellationToken.None);

        _socket.Abort();
        Assert.False(_socket.InputArrived(await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(5))));

        // The abort's cancelled read is given back: the receive that follows fails at once, not waiting for bytes.
        var error = await Assert.ThrowsAsync<WebSocketException>(() =>
            _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(WebSocketError.InvalidState, error.WebSocketErrorCode);
        Assert.Equal(WebSocketState.Aborted, _socket.State);
    }

    [Fact]
    public async Task A_wait_on_an_aborted_socket_reads_nothing_and_the_receive_after_it_says_why()
    {
        _socket.Abort();

        var waiting = _socket.WaitForInputAsync(CancellationToken.None);
        Assert.True(waiting.IsCompleted);
        Assert.True(_socket.InputArrived(await waiting));

        var error = await Assert.ThrowsAsync<WebSocketException>(() => _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).AsTask());
        Assert.Equal(WebSocketError.InvalidState, error.WebSocketErrorCode);
    }

    [Fact]
    public async Task Nothing_is_sent_after_the_close()
    {
        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);

        var error = await Assert.ThrowsAsync<WebSocketException>(() => _socket.SendAsync("late"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None));

        Assert.Equal(WebSocketError.InvalidState, error.WebSocketErrorCode);
        Assert.Equal([0x88, 2, 0x03, 0xE8], await Written());
    }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
