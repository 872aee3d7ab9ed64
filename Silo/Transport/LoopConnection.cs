using System.IO.Pipelines;
using System.Net;
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
    private static readonly Action<object?> s_send = static connection => ((LoopConnection)connection!).Send();

    private static readonly Action<object?> s_resumeReading = static state =>
    {
        var connection = (LoopConnection)state!;
        connection._readPaused = false;
        connection.Watch();
    };

    private static long s_lastId;

    private readonly int _fd;
    private readonly EventLoop _loop;
    private readonly GCHandle _self;
    private readonly long _number = Interlocked.Increment(ref s_lastId);

    /// <summary>Written by the loop as bytes arrive; read by the application, on the loop when it is waiting.</summary>
    private readonly LoopInput _input;

    /// <summary>Written by the application on any thread; sent by <see cref="Send"/> on the loop.</summary>
    private readonly LoopOutput _output;

    private readonly CancellationTokenSource _closed = new();

    // Owned by the loop's thread.
    private int _watching;
    private bool _readPaused;
    private bool _readEnded;
    private bool _waitingToSend;
    private Exception? _shutdownReason;

    /// <summary>Set on the loop as the socket is closed; read by <see cref="DisposeAsync"/>.</summary>
    private volatile bool _socketClosed;

    /// <summary>Made by <see cref="DisposeAsync"/>: done once the socket is closed.</summary>
    private TaskCompletionSource? _shutDown;

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
        _input = new LoopInput(this);
        _output = new LoopOutput(this);
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

    /// <summary>
    /// Read when first asked if not read yet: a front that limits new connections per address asks
    /// while it handles the upgrade. Should the connection close meanwhile (on its loop) and its number
    /// be given to another, what is read is that one's address or none: a limit counts one connection
    /// of a client that left against another, which is harmless.
    /// </summary>
    public override EndPoint? RemoteEndPoint
    {
        get => base.RemoteEndPoint ??= _socketClosed ? null : Linux.RemoteEndPoint(_fd);
        set => base.RemoteEndPoint = value;
    }

    PipeReader IDuplexPipe.Input => _input;

    PipeWriter IDuplexPipe.Output => _output;

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
        _input.Complete();
        _output.Complete();
        // What was written goes out first; then the loop closes the socket.
        var shutDown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.CompareExchange(ref _shutDown, shutDown, null);
        if (_socketClosed)
        {
            _shutDown.TrySetResult();
        }

        await _shutDown.Task;
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

        if (_waitingToSend && (hungUp || (events & Linux.EpollOut) != 0))
        {
            _waitingToSend = false;
            Watch();
            Send();
        }
    }

    /// <summary>One <c>recv</c>; whatever waits to read it runs now, on this thread.</summary>
    private void Receive()
    {
        switch (_input.Receive(_fd, out var error))
        {
            case LoopInput.Outcome.Full:
                // The application has a full input buffer: reading resumes once it has read enough.
                _readPaused = true;
                Watch();
                break;
            case LoopInput.Outcome.Ended:
                EndReading(null);
                break;
            case LoopInput.Outcome.Failed when error is not (Linux.WouldBlock or Linux.Interrupted):
                EndReading(Failure(error, "recv"));
                break;
        }
    }

    /// <summary>From any thread: the application has read enough of a full input buffer.</summary>
    public void ResumeReading() => _loop.Schedule(s_resumeReading, this);

    /// <summary>From any thread: the application flushed (or completed) its output.</summary>
    public void ScheduleSend() => _loop.Schedule(s_send, this);

    private void EndReading(Exception? error)
    {
        if (_readEnded)
        {
            return;
        }

        _readEnded = true;
        Watch();
        _input.End(_shutdownReason ?? error);
        // As Kestrel's socket transport: the token's callbacks run on the thread pool, not in here.
        ThreadPool.UnsafeQueueUserWorkItem(static connection => connection._closed.Cancel(), this, preferLocal: false);
    }

    /// <summary>Sends what the application flushed, in order, as soon as the loop comes round to it.</summary>
    private void Send()
    {
        if (_socketClosed || _waitingToSend)
        {
            return;
        }

        switch (_output.Send(_fd, out var error))
        {
            case LoopOutput.Outcome.Blocked:
                _waitingToSend = true;
                Watch();
                break;
            case LoopOutput.Outcome.Finished:
                Shutdown(_output.CompletedWith);
                break;
            case LoopOutput.Outcome.Failed:
                Shutdown(Failure(error, "send"));
                break;
        }
    }

    /// <summary>Tells epoll what this connection waits for now.</summary>
    private void Watch()
    {
        if (_socketClosed)
        {
            return;
        }

        var events = (_readEnded || _readPaused ? 0 : Linux.EpollIn) | (_waitingToSend ? Linux.EpollOut : 0);
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
        // The output first: once the input has ended (and the closed token fires), a flush already says nothing more goes out.
        _waitingToSend = false;
        _output.Close();
        EndReading(null);
        if (Interlocked.CompareExchange(ref _shutDown, null, null) is { } shutDown)
        {
            shutDown.TrySetResult();
        }
    }

    private static Exception Failure(int error, string call) => error is Linux.ConnectionReset or Linux.BrokenPipe
        ? new ConnectionResetException($"The connection was reset ({call}, errno {error}).")
        : new IOException($"{call} failed (errno {error}).");
}
