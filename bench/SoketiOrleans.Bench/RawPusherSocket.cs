using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench;

/// <summary>
/// A Pusher socket over a bare TCP connection, for the hostile clients that <see cref="System.Net.WebSockets.ClientWebSocket"/>
/// cannot play: one that sends a frame a byte at a time, one that stops reading, one that sends without
/// waiting for answers. Frames are masked with a zero key (legal: RFC 6455 only asks for a key), so a frame's
/// bytes are its header and payload as they are.
/// </summary>
public sealed class RawPusherSocket : IDisposable
{
    public const int TextOpcode = 1;
    public const int CloseOpcode = 8;

    private readonly Socket socket;
    private NetworkStream? stream;
    private byte[] buffer = new byte[4096];
    private int start;
    private int end;

    private NetworkStream Stream => stream ?? throw new InvalidOperationException("not connected");

    private RawPusherSocket(Socket socket)
    {
        this.socket = socket;
    }

    /// <summary>Upgrades and returns once <c>pusher:connection_established</c> has arrived.</summary>
    /// <param name="receiveBuffer">The kernel's receive buffer in bytes (SO_RCVBUF), set before connecting so it bounds the TCP window; null for the default.</param>
    public static async Task<RawPusherSocket> OpenAsync(Target target, CancellationToken cancellation, int? receiveBuffer = null)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBuffer is { } size)
            socket.ReceiveBufferSize = size;
        var raw = new RawPusherSocket(socket);
        try
        {
            await socket.ConnectAsync(target.Host, target.Port, cancellation);
            raw.stream = new NetworkStream(socket, ownsSocket: false);
            var path = target.WebSocketUri.PathAndQuery;
            await raw.Stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"GET {path} HTTP/1.1\r\nHost: {target.Host}:{target.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"), cancellation);
            await raw.SkipResponseHeadAsync(cancellation);
            var (_, first) = await raw.ReceiveFrameAsync(cancellation) ?? throw new IOException("closed before connection_established");
            if (FrameScanner.Kind(first.Span) != FrameKind.ConnectionEstablished)
                throw new IOException("expected connection_established, got " + Encoding.UTF8.GetString(first.Span));
            return raw;
        }
        catch
        {
            raw.Dispose();
            throw;
        }
    }

    /// <summary>A masked text frame carrying <paramref name="payload"/>.</summary>
    public static byte[] TextFrame(ReadOnlySpan<byte> payload)
    {
        var header = payload.Length < 126 ? 2 : 4;
        if (payload.Length > ushort.MaxValue)
            throw new ArgumentException("the bench sends frames under 64 KB", nameof(payload));
        var frame = new byte[header + 4 + payload.Length];
        frame[0] = 0x80 | TextOpcode; // FIN
        if (header == 2)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        payload.CopyTo(frame.AsSpan(header + 4)); // after the all-zero masking key
        return frame;
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation) => Stream.WriteAsync(bytes, cancellation);

    /// <summary>The next server frame's opcode and payload (valid until the next call); null once the server has closed the connection.</summary>
    public async Task<(int Opcode, ReadOnlyMemory<byte> Payload)?> ReceiveFrameAsync(CancellationToken cancellation)
    {
        if (!await FillAsync(2, cancellation))
            return null;
        var opcode = buffer[start] & 0x0F;
        var length = buffer[start + 1] & 0x7F;
        var header = length switch { 126 => 4, 127 => 10, _ => 2 };
        if (!await FillAsync(header, cancellation))
            return null;
        long payloadLength = length switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(start + 2)),
            127 => (long)BinaryPrimitives.ReadUInt64BigEndian(buffer.AsSpan(start + 2)),
            _ => length,
        };
        if (payloadLength > 16 << 20)
            throw new IOException($"a {payloadLength}-byte frame from the server");
        if (!await FillAsync(header + (int)payloadLength, cancellation))
            return null;
        var payload = buffer.AsMemory(start + header, (int)payloadLength);
        start += header + (int)payloadLength;
        return (opcode, payload);
    }

    /// <summary>Drops the connection without a close handshake (a TCP reset).</summary>
    public void Dispose()
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already reset by the server.
        }
        stream?.Dispose();
        socket.Dispose();
    }

    /// <summary>Reads past the HTTP response's blank line; anything after it is the first frame.</summary>
    private async Task SkipResponseHeadAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var at = buffer.AsSpan(start, end - start).IndexOf("\r\n\r\n"u8);
            if (at >= 0)
            {
                if (!buffer.AsSpan(start).StartsWith("HTTP/1.1 101"u8))
                    throw new IOException("upgrade refused: " + Encoding.ASCII.GetString(buffer, start, Math.Min(end - start, 200)));
                start += at + 4;
                return;
            }
            if (!await FillAsync(end - start + 1, cancellation))
                throw new IOException("closed during the upgrade");
        }
    }

    /// <summary>Until at least <paramref name="count"/> unread bytes are buffered; false at the end of the stream.</summary>
    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellation)
    {
        while (end - start < count)
        {
            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }
            if (count > buffer.Length)
                Array.Resize(ref buffer, Math.Max(count, buffer.Length * 2));
            var read = await Stream.ReadAsync(buffer.AsMemory(end), cancellation);
            if (read == 0)
                return false;
            end += read;
        }
        return true;
    }
}
