using System.IO.Pipelines;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using SoketiOrleans.Gateway.Sockets;

namespace SoketiOrleans.Silo.Transport;

/// <summary>
/// An accepted TCP connection served by one <see cref="EventLoop"/>: every <c>recv</c>, <c>send</c>
/// and the close happen on the loop's thread. It behaves as Kestrel's socket transport does to what
/// sits above it: the input completes at the peer's FIN or reset (and <see cref="ConnectionClosed"/>
/// fires), a completed output is sent and then the socket shut down, and an abort cuts the socket
/// and drops what was not sent.
/// </summary>
internal sealed class LoopConnection : ConnectionContext, IDuplexPipe, IWatched, IConnectionLoop
{
    /// <summary>Half a pipe segment: a read smaller than this takes a new segment rather than a sliver.</summary>
    private const int MinReadSize = 2048;

    private static long s_lastId;

    private readonly int _fd;
    private readonly EventLoop _loop;
    private readonly GCHandle _self;
    private readonly long _number = Interlocked.Increment(ref s_lastId);

    /// <summary>Written by the loop as bytes arrive; read by the application, on the loop when it is waiting.</summary>
    private readonly Pipe _input;

    /// <summary>Written by the application on any thread; read and sent by <see cref="Send"/> on the loop.</summary>
    private readonly Pipe _output;

    private readonly CancellationTokenSource _closed = new();
    private readonly Task _sending;

    // Owned by the loop's thread.
    private int _watching;
    private bool _readPaused;
    private bool _readEnded;
    private bool _socketClosed;
    private TaskCompletionSource? _writable;
    private Exception? _shutdownReason;

    /// <summary>Set while Kestrel has the connection (<see cref="PassOn"/>): done when Kestrel has disposed it.</summary>
    private TaskCompletionSource? _kestrelDone;

    private IFeatureCollection? _features;
    private string? _id;
    private IDictionary<object, object?>? _items;
    private IDuplexPipe _transport;

    /// <param name="fd">An accepted, non-blocking socket, which this connection closes.</param>
    public LoopConnection(int fd, EventLoop loop)
    {
        _fd = fd;
        _loop = loop;
        _input = new Pipe(loop.InputOptions);
        _output = new Pipe(loop.OutputOptions);
        _transport = this;
        ConnectionClosed = _closed.Token;
        _self = GCHandle.Alloc(this);
        _watching = Linux.EpollIn;
        try
        {
            loop.Add(_fd, _watching, _self);
        }
        catch (IOException)
        {
            _self.Free();
            Linux.close(fd);
            throw;
        }

        // Kestrel has not seen the connection yet, so nothing has written to it: the send loop's first read waits.
        _sending = Send();
    }

    public override string ConnectionId
    {
        get => _id ??= $"L{_number:X}";
        set => _id = value;
    }

    /// <summary>Made when first asked for: Kestrel's HTTP uses it, a WebSocket served by the listener's front does not.</summary>
    public override IFeatureCollection Features => _features ??= new FeatureCollection();

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new ConnectionItems();
        set => _items = value;
    }

    public override IDuplexPipe Transport
    {
        get => _transport;
        set => _transport = value;
    }

    void IConnectionLoop.Queue(IThreadPoolWorkItem work) => _loop.Queue(work);

    /// <summary>
    /// Reads the connection's addresses, for Kestrel, which gives them to HTTP: called as Kestrel
    /// takes it, while its socket is open (once closed, the number may be another connection's).
    /// A WebSocket served by the listener's front never needs them.
    /// </summary>
    public void ReadEndPoints()
    {
        LocalEndPoint = Linux.LocalEndPoint(_fd);
        RemoteEndPoint = Linux.RemoteEndPoint(_fd);
    }

    PipeReader IDuplexPipe.Input => _input.Reader;

    PipeWriter IDuplexPipe.Output => _output.Writer;

    public override void Abort(ConnectionAbortedException abortReason) =>
        _loop.Schedule(static state =>
        {
            var (connection, reason) = ((LoopConnection, ConnectionAbortedException))state!;
            connection.Shutdown(reason);
        }, (this, abortReason));

    /// <summary>True once the listener's front has given the connection to Kestrel, which disposes it.</summary>
    public bool PassedOn => _kestrelDone is not null;

    /// <returns>Done when Kestrel has disposed the connection.</returns>
    public Task PassOn()
    {
        _kestrelDone = new TaskCompletionSource();
        return _kestrelDone.Task;
    }

    /// <summary>Kestrel did not take the connection after all.</summary>
    public void TakeBack() => _kestrelDone = null;

    /// <summary>Called once what ran on the connection has returned (by Kestrel, or by the listener's front).</summary>
    public override async ValueTask DisposeAsync()
    {
        _input.Reader.Complete();
        _output.Writer.Complete();
        await _sending;
        _kestrelDone?.TrySetResult();
    }

    public void OnReady(int events)
    {
        if (_socketClosed)
        {
            return;
        }

        var hungUp = (events & (Linux.EpollErr | Linux.EpollHup)) != 0;
        if (hungUp && (_watching & (Linux.EpollIn | Linux.EpollOut)) == 0)
        {
            // Nothing here reads or writes the socket, so nothing would learn of the error, and a
            // level-triggered hang-up is reported again every round.
            Shutdown(new ConnectionResetException("The connection was reset while it was not read."));
            return;
        }

        if ((_watching & Linux.EpollIn) != 0 && (hungUp || (events & Linux.EpollIn) != 0))
        {
            Receive();
        }

        if (_writable is { } writable && (hungUp || (events & Linux.EpollOut) != 0))
        {
            _writable = null;
            Watch();
            writable.SetResult();
        }
    }

    /// <summary>One <c>recv</c>; whatever waits to read it runs now, on this thread.</summary>
    private unsafe void Receive()
    {
        var writer = _input.Writer;
        var memory = writer.GetMemory(MinReadSize);
        nint received;
        fixed (byte* buffer = memory.Span)
        {
            received = Linux.recv(_fd, buffer, memory.Length, 0);
        }

        if (received > 0)
        {
            writer.Advance((int)received);
            var flush = writer.FlushAsync();
            if (!flush.IsCompleted)
            {
                _readPaused = true;
                Watch();
                _ = ResumeAfter(flush);
            }
            else if (flush.GetAwaiter().GetResult() is { IsCompleted: true } or { IsCanceled: true })
            {
                EndReading(null);
            }

            return;
        }

        if (received == 0)
        {
            EndReading(null);
            return;
        }

        var error = Marshal.GetLastPInvokeError();
        if (error is not (Linux.WouldBlock or Linux.Interrupted))
        {
            EndReading(Failure(error, "recv"));
        }
    }

    /// <summary>The application had a full input buffer: reading resumes once it has read enough (on the loop: the pipe's writer scheduler).</summary>
    private async Task ResumeAfter(ValueTask<FlushResult> flush)
    {
        var result = await flush;
        _readPaused = false;
        if (result.IsCompleted || result.IsCanceled)
        {
            EndReading(null);
        }
        else
        {
            Watch();
        }
    }

    private void EndReading(Exception? error)
    {
        if (_readEnded)
        {
            return;
        }

        _readEnded = true;
        Watch();
        _input.Writer.Complete(_shutdownReason ?? error);
        // As Kestrel's socket transport: the token's callbacks run on the thread pool, not in here.
        ThreadPool.UnsafeQueueUserWorkItem(static connection => connection._closed.Cancel(), this, preferLocal: false);
    }

    /// <summary>Sends what the application writes, in order, as soon as the loop comes round to it.</summary>
    private async Task Send()
    {
        var output = _output.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await output.ReadAsync();
                if (result.IsCanceled)
                {
                    break;
                }

                var buffer = result.Buffer;
                while (!buffer.IsEmpty)
                {
                    var sent = SendSome(buffer);
                    if (sent == 0)
                    {
                        await Writable();
                        continue;
                    }

                    buffer = buffer.Slice(sent);
                }

                output.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            Shutdown(error);
            output.Complete();
        }
    }

    /// <returns>How many bytes the socket took: 0 when its buffer is full.</returns>
    private unsafe long SendSome(in System.Buffers.ReadOnlySequence<byte> buffer)
    {
        if (_socketClosed)
        {
            // Its number may already be another connection's.
            throw new ConnectionAbortedException("The connection was closed before this send.", _shutdownReason!);
        }

        long total = 0;
        foreach (var segment in buffer)
        {
            nint sent;
            do
            {
                fixed (byte* bytes = segment.Span)
                {
                    sent = Linux.send(_fd, bytes, segment.Length, Linux.NoSignal);
                }
            }
            while (sent < 0 && Marshal.GetLastPInvokeError() == Linux.Interrupted);

            if (sent < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                return error == Linux.WouldBlock ? total : throw Failure(error, "send");
            }

            total += sent;
            if (sent < segment.Length)
            {
                break;
            }
        }

        return total;
    }

    private Task Writable()
    {
        _writable = new TaskCompletionSource();
        Watch();
        return _writable.Task;
    }

    /// <summary>Tells epoll what this connection waits for now.</summary>
    private void Watch()
    {
        if (_socketClosed)
        {
            return;
        }

        var events = (_readEnded || _readPaused ? 0 : Linux.EpollIn) | (_writable is null ? 0 : Linux.EpollOut);
        if (events != _watching)
        {
            _watching = events;
            _loop.Change(_fd, events, _self);
        }
    }

    /// <summary>Closes the socket (on the loop): the input ends with the reason, a send waiting for room fails, what was not sent is dropped.</summary>
    private void Shutdown(Exception? reason)
    {
        if (_socketClosed)
        {
            return;
        }

        _socketClosed = true;
        _shutdownReason = reason switch
        {
            null => new ConnectionAbortedException("The connection's output ended."),
            ConnectionAbortedException or ConnectionResetException => reason,
            _ => new ConnectionAbortedException(reason.Message, reason),
        };
        _loop.Remove(_fd, _self);
        // As Kestrel's sockets, a FIN even for an abort; it fails harmlessly on a socket the peer reset.
        Linux.shutdown(_fd, Linux.ShutdownBoth);
        Linux.close(_fd);
        if (_readPaused)
        {
            // Its resumption then finds the input ended rather than waiting for a reader that may never come.
            _input.Writer.CancelPendingFlush();
        }

        EndReading(null);
        _output.Reader.CancelPendingRead();
        if (_writable is { } writable)
        {
            _writable = null;
            writable.SetException(_shutdownReason);
        }
    }

    private static Exception Failure(int error, string call) => error is Linux.ConnectionReset or Linux.BrokenPipe
        ? new ConnectionResetException($"The connection was reset ({call}, errno {error}).")
        : new IOException($"{call} failed (errno {error}).");
}
