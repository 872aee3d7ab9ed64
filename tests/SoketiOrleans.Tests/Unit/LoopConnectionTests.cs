using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Silo.Transport;

namespace SoketiOrleans.Tests.Unit;

/// <summary>
/// The event loops' connections as what sits above them reads and writes them (Kestrel's HTTP, the
/// WebSocket): a pipe's contract over a real loopback socket, with the input and output of the
/// transport's own (<see cref="LoopInput"/>, <see cref="LoopOutput"/>).
/// </summary>
public sealed class LoopConnectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly EventLoop _loop = new(0, NullLogger.Instance);
    private readonly List<IDisposable> _clients = [];
    private readonly List<LoopConnection> _servers = [];
    private LoopListener? _listener;

    public Task InitializeAsync()
    {
        _listener = new LoopListener(new IPEndPoint(IPAddress.Loopback, 0), () => _loop, front: null, NullLogger.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _listener!.DisposeAsync();
        _servers.ForEach(s => s.Abort(new ConnectionAbortedException("The test is over.")));
        _clients.ForEach(c => c.Dispose());
        _loop.Dispose();
    }

    [Fact]
    public async Task A_read_that_examined_everything_waits_for_more_bytes_and_then_sees_them_all()
    {
        var (server, client) = await Connect();
        var input = server.Transport.Input;
        await client.SendAsync("hello"u8.ToArray());

        var read = await ReadAtLeast(input, 5);
        Assert.Equal("hello", Text(read.Buffer));
        input.AdvanceTo(read.Buffer.Start, read.Buffer.End);

        var next = input.ReadAsync();
        Assert.False(next.IsCompleted);
        await client.SendAsync(" world"u8.ToArray());
        read = await ReadAtLeast(input, 11, next);
        Assert.Equal("hello world", Text(read.Buffer));
        input.AdvanceTo(read.Buffer.End);
    }

    [Fact]
    public async Task The_peers_FIN_completes_the_input_after_its_last_bytes()
    {
        var (server, client) = await Connect();
        var input = server.Transport.Input;
        await client.SendAsync("bye"u8.ToArray());
        client.Shutdown(SocketShutdown.Send);

        var read = await input.ReadAsync().AsTask().WaitAsync(Timeout);
        while (!read.IsCompleted)
        {
            input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await input.ReadAsync().AsTask().WaitAsync(Timeout);
        }

        Assert.Equal("bye", Text(read.Buffer));
        input.AdvanceTo(read.Buffer.End);
    }

    [Fact]
    public async Task A_reset_fails_a_waiting_read_with_ConnectionResetException()
    {
        var (server, client) = await Connect();
        var read = server.Transport.Input.ReadAsync();

        client.LingerState = new LingerOption(true, 0);
        client.Close();

        await Assert.ThrowsAsync<ConnectionResetException>(() => read.AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_reset_ends_a_waiting_quiet_read_as_the_end_of_the_input_and_a_read_after_it_fails()
    {
        var (server, client) = await Connect();
        var input = server.Transport.Input;
        var read = ((IQuietReader)input).ReadQuietlyAsync(CancellationToken.None);

        client.LingerState = new LingerOption(true, 0);
        client.Close();

        var ended = await read.AsTask().WaitAsync(Timeout);
        Assert.True(ended.IsCompleted);
        Assert.False(ended.IsCanceled);
        Assert.True(ended.Buffer.IsEmpty);
        input.AdvanceTo(ended.Buffer.End);
        await Assert.ThrowsAsync<ConnectionResetException>(() => input.ReadAsync().AsTask());
    }

    [Fact]
    public async Task CancelPendingRead_ends_a_waiting_read_as_canceled_and_reading_goes_on()
    {
        var (server, client) = await Connect();
        var input = server.Transport.Input;
        var waiting = input.ReadAsync();

        input.CancelPendingRead();

        var canceled = await waiting.AsTask().WaitAsync(Timeout);
        Assert.True(canceled.IsCanceled);
        Assert.True(canceled.Buffer.IsEmpty);
        input.AdvanceTo(canceled.Buffer.Start);
        await client.SendAsync("after"u8.ToArray());
        var read = await ReadAtLeast(input, 5);
        Assert.False(read.IsCanceled);
        Assert.Equal("after", Text(read.Buffer));
        input.AdvanceTo(read.Buffer.End);
    }

    [Fact]
    public async Task Reading_pauses_with_a_megabyte_unread_and_every_byte_arrives_once_it_is_read()
    {
        const int total = 8 * 1024 * 1024;
        const long pause = 1024 * 1024;
        var (server, client) = await Connect();
        var input = server.Transport.Input;
        var sent = Pattern(total);
        var sending = client.SendAsync(sent);

        ReadResult read;
        do
        {
            read = await input.ReadAsync().AsTask().WaitAsync(Timeout);
            input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
        while (read.Buffer.Length < pause);

        // One recv's block past the threshold at most, and then nothing more while it is unread,
        // though the client has megabytes more on the way.
        Assert.InRange(read.Buffer.Length, pause, pause + LoopSegment.Size);
        var next = input.ReadAsync().AsTask();
        Assert.NotSame(next, await Task.WhenAny(next, Task.Delay(500)));
        input.CancelPendingRead();
        read = await next.WaitAsync(Timeout);
        Assert.True(read.IsCanceled);
        Assert.InRange(read.Buffer.Length, pause, pause + LoopSegment.Size);

        var received = new byte[total];
        var length = 0;
        while (true)
        {
            read.Buffer.CopyTo(received.AsSpan(length));
            length += (int)read.Buffer.Length;
            input.AdvanceTo(read.Buffer.End);
            if (length >= total)
            {
                break;
            }

            read = await input.ReadAsync().AsTask().WaitAsync(Timeout);
        }

        await sending.WaitAsync(Timeout);
        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task Written_bytes_go_out_in_order_and_completing_sends_the_rest_then_a_FIN()
    {
        var (server, client) = await Connect();
        var output = server.Transport.Output;
        var sent = Pattern(300_000);
        var receiving = ReceiveAll(client);

        for (var offset = 0; offset < sent.Length; offset += 30_000)
        {
            // Pieces larger than a block, written through memory asked for as they go.
            output.Write(sent.AsSpan(offset, 30_000));
            var flushed = await output.FlushAsync().AsTask().WaitAsync(Timeout);
            Assert.False(flushed.IsCompleted);
        }

        output.Write("end"u8);
        await output.CompleteAsync();

        var received = await receiving.WaitAsync(Timeout);
        Assert.Equal([.. sent, .. "end"u8.ToArray()], received);
    }

    [Fact]
    public async Task A_flush_waits_while_too_much_is_unsent_and_goes_on_once_the_peer_reads()
    {
        var (server, client) = await Connect();
        var output = server.Transport.Output;
        var chunk = Pattern(64 * 1024);
        long written = 0;
        ValueTask<FlushResult> flush;
        do
        {
            // A peer that does not read: the kernel's buffers fill, then the connection's.
            output.Write(chunk);
            written += chunk.Length;
            flush = output.FlushAsync();
            Assert.True(written < 256L * 1024 * 1024, "no flush ever waited");
        }
        while (flush.IsCompleted);

        var receiving = ReceiveAll(client, written);
        var result = await flush.AsTask().WaitAsync(Timeout);
        Assert.False(result.IsCompleted);
        Assert.False(result.IsCanceled);
        var received = await receiving.WaitAsync(Timeout);
        Assert.Equal(written, received.Length);
        Assert.Equal(chunk, received[^chunk.Length..]);
    }

    [Fact]
    public async Task CancelPendingFlush_ends_a_waiting_flush_as_canceled()
    {
        var (server, _) = await Connect();
        var output = server.Transport.Output;
        Task<FlushResult> flush;
        do
        {
            // Until the kernel's buffers are full too, a waiting flush soon goes on by itself.
            output.Write(Pattern(64 * 1024));
            flush = output.FlushAsync().AsTask();
        }
        while (flush == await Task.WhenAny(flush, Task.Delay(200)));

        output.CancelPendingFlush();

        Assert.True((await flush.WaitAsync(Timeout)).IsCanceled);
    }

    [Fact]
    public async Task After_an_abort_the_peer_sees_the_end_the_input_ends_and_a_flush_says_nothing_more_goes_out()
    {
        var (server, client) = await Connect();
        var closed = new TaskCompletionSource();
        server.ConnectionClosed.Register(closed.SetResult);

        server.Abort(new ConnectionAbortedException("test"));

        await closed.Task.WaitAsync(Timeout);
        Assert.Empty(await ReceiveAll(client).WaitAsync(Timeout));
        await Assert.ThrowsAsync<ConnectionAbortedException>(() => server.Transport.Input.ReadAsync().AsTask());
        server.Transport.Output.Write("late"u8);
        Assert.True((await server.Transport.Output.FlushAsync()).IsCompleted);
    }

    [Fact]
    public async Task Disposing_sends_what_was_written_first_then_closes()
    {
        var (server, client) = await Connect();
        server.Transport.Output.Write("last words"u8);
        var receiving = ReceiveAll(client);

        await server.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.Equal("last words", System.Text.Encoding.ASCII.GetString(await receiving.WaitAsync(Timeout)));
    }

    private async Task<(LoopConnection Server, Socket Client)> Connect()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _clients.Add(client);
        await client.ConnectAsync(_listener!.EndPoint);
        var server = (LoopConnection)(await _listener.AcceptAsync().AsTask().WaitAsync(Timeout))!;
        _servers.Add(server);
        return (server, client);
    }

    private static async Task<ReadResult> ReadAtLeast(PipeReader input, int length, ValueTask<ReadResult>? first = null)
    {
        var read = await (first ?? input.ReadAsync()).AsTask().WaitAsync(Timeout);
        while (read.Buffer.Length < length)
        {
            input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await input.ReadAsync().AsTask().WaitAsync(Timeout);
        }

        return read;
    }

    /// <summary>Everything the client receives until the connection ends (or this many bytes).</summary>
    private static async Task<byte[]> ReceiveAll(Socket client, long until = long.MaxValue)
    {
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (received.Length < until)
        {
            int count;
            try
            {
                count = await client.ReceiveAsync(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                break;
            }

            if (count == 0)
            {
                break;
            }

            received.Write(buffer, 0, count);
        }

        return received.ToArray();
    }

    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + (i >> 8));
        }

        return bytes;
    }

    private static string Text(ReadOnlySequence<byte> buffer) => System.Text.Encoding.ASCII.GetString(buffer.ToArray());
}
