using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Operations;

/// <summary>
/// Which transport serves the port (<c>SOKETI_TRANSPORT</c>): the server's event loops by default,
/// one thread per core; Kestrel's socket transport with <c>sockets</c>. Either carries a WebSocket,
/// its subscription and an HTTP publish to it, HTTP requests pipelined in one write, and a socket
/// whose reader stalls until more is queued for it than the kernel's buffers take.
/// </summary>
public sealed class TransportTests
{
    private static Dictionary<string, string> Environment(string? transport) =>
        transport is null ? [] : new() { ["SOKETI_TRANSPORT"] = transport };

    [Theory]
    [InlineData(null)]
    [InlineData("loop")]
    [InlineData("sockets")]
    public async Task The_chosen_transport_serves_sockets_and_the_http_api(string? transport)
    {
        await using var server = await ServerProcess.Start(Environment(transport));
        var channel = Names.Unique("transported-");
        await using (var client = await RawPusherClient.Connect(server.WebSocketUri()))
        {
            await client.SubscribePublic(channel);
            using var api = new PusherApi(server.HttpUri);
            Assert.Equal(200, (await api.Trigger(channel, "carried", "{\"n\":1}")).Status);
            var received = await client.WaitFor("carried");
            Assert.Equal(channel, received.GetProperty("channel").GetString());
            Assert.Equal("{\"n\":1}", received.GetProperty("data").GetString());
        }

        var loops = Directory.GetDirectories($"/proc/{server.Pid}/task")
            .Count(task => File.ReadAllText(Path.Combine(task, "comm")).StartsWith("event loop ", StringComparison.Ordinal));
        Assert.Equal(transport == "sockets" ? 0 : Math.Min(System.Environment.ProcessorCount, 16), loops);
    }

    [Theory]
    [InlineData("loop")]
    [InlineData("sockets")]
    public async Task Requests_pipelined_in_one_write_are_answered_in_order(string transport)
    {
        await using var server = await ServerProcess.Start(Environment(transport));
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", server.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            "GET /ready HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /apps/app-id/channels HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));

        var answers = await ReadToEnd(socket);

        // A response starts right after the last one's body, which may not end with a line break.
        var statusLines = System.Text.RegularExpressions.Regex.Matches(answers, @"HTTP/1\.1 [0-9]{3} [A-Za-z ]+(?=\r\n)").Select(m => m.Value).ToArray();
        // The channels call is unsigned: Pusher's 401, between the two 200s, shows the order.
        Assert.Equal(["HTTP/1.1 200 OK", "HTTP/1.1 401 Unauthorized", "HTTP/1.1 200 OK"], statusLines);
    }

    [Theory]
    [InlineData("loop")]
    [InlineData("sockets")]
    public async Task A_socket_that_stops_reading_gets_every_frame_in_order_once_it_reads_again(string transport)
    {
        // 6.3 MB: more than the server's pipe, its socket's send buffer (at most 4 MB here,
        // net.ipv4.tcp_wmem) and the client's 4 KB take, and less than the queue it is allowed.
        const int events = 70;
        var payload = new string('x', 90_000);
        var environment = Environment(transport);
        environment["SOKETI_WEBSOCKETS_MAX_BACKPRESSURE_IN_KB"] = "16384";
        await using var server = await ServerProcess.Start(environment);
        var channel = Names.Unique("stalled-");
        // A small receive window, so that the server's sends fill the kernel's buffers and wait.
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync("127.0.0.1", server.Port);
        var reader = new FrameReader(socket);
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            "GET /app/app-key?protocol=7 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", await reader.Headers());
        Assert.Contains("pusher:connection_established", await reader.Next());
        await socket.SendAsync(MaskedText($$$"""{"event":"pusher:subscribe","data":{"channel":"{{{channel}}}"}}"""));
        Assert.Equal($$"""{"event":"pusher_internal:subscription_succeeded","channel":"{{channel}}","data":"{}"}""", await reader.Next());

        using var api = new PusherApi(server.HttpUri);
        for (var i = 0; i < events; i++)
        {
            Assert.Equal(200, (await api.Trigger(channel, "bulk", $"{i}:{payload}")).Status);
        }

        for (var i = 0; i < events; i++)
        {
            Assert.Equal(Frames.Event("bulk", channel, $"{i}:{payload}"), await reader.Next());
        }
    }

    private static async Task<string> ReadToEnd(Socket socket)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    private static byte[] MaskedText(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[2 + 2 + 4 + payload.Length];
        frame[0] = 0x81;
        frame[1] = 0x80 | 126;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        byte[] mask = [0x12, 0x34, 0x56, 0x78];
        mask.CopyTo(frame, 4);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[8 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }

        return frame;
    }

    /// <summary>Reads the server's side of a WebSocket off a raw socket: the upgrade's headers, then unmasked text frames.</summary>
    private sealed class FrameReader(Socket socket)
    {
        private readonly List<byte> _buffered = [];
        private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

        public async Task<string> Headers()
        {
            int end;
            while ((end = IndexOfHeadersEnd()) < 0)
            {
                await Fill();
            }

            var headers = Encoding.ASCII.GetString(_buffered.GetRange(0, end + 4).ToArray());
            _buffered.RemoveRange(0, end + 4);
            return headers;
        }

        public async Task<string> Next()
        {
            while (true)
            {
                if (_buffered.Count >= 2)
                {
                    Assert.Equal(0x81, _buffered[0]);
                    var (length, header) = (_buffered[1] & 0x7F) switch
                    {
                        126 when _buffered.Count >= 4 => (_buffered[2] << 8 | _buffered[3], 4),
                        127 when _buffered.Count >= 10 => ((int)BinaryPrimitives.ReadUInt64BigEndian(_buffered.GetRange(2, 8).ToArray()), 10),
                        126 or 127 => (-1, 0),
                        var small => (small, 2),
                    };
                    if (length >= 0 && _buffered.Count >= header + length)
                    {
                        var text = Encoding.UTF8.GetString(_buffered.GetRange(header, length).ToArray());
                        _buffered.RemoveRange(0, header + length);
                        return text;
                    }
                }

                await Fill();
            }
        }

        private int IndexOfHeadersEnd()
        {
            for (var i = 0; i + 3 < _buffered.Count; i++)
            {
                if (_buffered[i] == '\r' && _buffered[i + 1] == '\n' && _buffered[i + 2] == '\r' && _buffered[i + 3] == '\n')
                {
                    return i;
                }
            }

            return -1;
        }

        private async Task Fill()
        {
            var buffer = new byte[65536];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, _timeout.Token);
            Assert.True(read > 0, "the server closed the connection");
            _buffered.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }
}
