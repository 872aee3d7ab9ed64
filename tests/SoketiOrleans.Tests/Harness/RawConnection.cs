using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SoketiOrleans.Tests.Harness;

/// <summary>One TCP connection, read with a deadline on every step.</summary>
internal sealed class RawConnection : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly CancellationTokenSource _deadline = new(Timeout);

    private RawConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    private const string Upgrade =
        "GET /app/app-key?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    /// <param name="from">The loopback address to connect from (the client's address, as the server sees it); 127.0.0.1 when none.</param>
    public static async Task<RawConnection> Open(int port, IPAddress? from = null)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        await socket.ConnectAsync("127.0.0.1", port);
        return new RawConnection(socket);
    }

    /// <summary>A connection to the default app past its WebSocket handshake and <c>pusher:connection_established</c>.</summary>
    public static async Task<RawConnection> OpenWebSocket(int port, IPAddress? from = null)
    {
        var connection = await Upgraded(port, from);
        Assert.Contains("pusher:connection_established", await connection.ReadTextFrame());
        return connection;
    }

    /// <summary>A connection to the default app past its WebSocket handshake, before the server's first frame.</summary>
    public static async Task<RawConnection> Upgraded(int port, IPAddress? from = null)
    {
        var connection = await Open(port, from);
        await connection.Send(Upgrade);
        Assert.StartsWith("HTTP/1.1 101 ", await connection.ReadHead());
        return connection;
    }

    public Task Send(string text) => Send(Encoding.ASCII.GetBytes(text));

    public async Task Send(byte[] bytes) => await _stream.WriteAsync(bytes, _deadline.Token);

    /// <summary>Everything up to and including the blank line that ends an HTTP head.</summary>
    public async Task<string> ReadHead()
    {
        var head = new List<byte>();
        while (head.Count < 4 || !head.TakeLast(4).SequenceEqual("\r\n\r\n"u8.ToArray()))
        {
            head.Add(await ReadByte());
        }

        return Encoding.ASCII.GetString(head.ToArray());
    }

    /// <summary>One unmasked, unfragmented text frame from the server.</summary>
    public async Task<string> ReadTextFrame()
    {
        Assert.Equal(0x81, await ReadByte());
        int length = await ReadByte();
        Assert.True(length < 0x80, "a server frame must not be masked");
        if (length == 126)
        {
            length = (await ReadByte() << 8) | await ReadByte();
        }

        var payload = new byte[length];
        await _stream.ReadExactlyAsync(payload, _deadline.Token);
        return Encoding.UTF8.GetString(payload);
    }

    /// <summary>An unmasked close frame from the server: its code and reason.</summary>
    public async Task<(int Code, string Reason)> ReadCloseFrame()
    {
        Assert.Equal(0x88, await ReadByte());
        int length = await ReadByte();
        Assert.InRange(length, 2, 125);
        var payload = await Read(length);
        return ((payload[0] << 8) | payload[1], Encoding.UTF8.GetString(payload, 2, length - 2));
    }

    /// <summary>The next <paramref name="count"/> bytes the server sent.</summary>
    public async Task<byte[]> Read(int count)
    {
        var bytes = new byte[count];
        await _stream.ReadExactlyAsync(bytes, _deadline.Token);
        return bytes;
    }

    /// <summary>True when the server has ended the connection with nothing more sent (a FIN, or a reset).</summary>
    public async Task<bool> Ended()
    {
        try
        {
            return await _stream.ReadAsync(new byte[1], _deadline.Token) == 0;
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return true;
        }
    }

    /// <summary>Drops the connection with a reset (RST), as a client that vanishes does: no close frame, no FIN.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public static byte[] MaskedText(string text) => ClientFrame(0x1, Encoding.UTF8.GetBytes(text));

    /// <summary>A client's frame, whole and short (under 126 bytes), masked unless told otherwise.</summary>
    public static byte[] ClientFrame(int opcode, byte[] payload, bool masked = true)
    {
        Assert.True(payload.Length < 126);
        byte[] mask = masked ? [1, 2, 3, 4] : [];
        return [(byte)(0x80 | opcode), (byte)((masked ? 0x80 : 0) | payload.Length), .. mask, .. payload.Select((b, i) => masked ? (byte)(b ^ mask[i % 4]) : b)];
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
        _deadline.Dispose();
    }

    private async Task<byte> ReadByte()
    {
        var one = new byte[1];
        await _stream.ReadExactlyAsync(one, _deadline.Token);
        return one[0];
    }
}
