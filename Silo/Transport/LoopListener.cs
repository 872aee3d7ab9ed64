using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace SoketiOrleans.Silo.Transport;

/// <summary>
/// A listening TCP socket watched by one event loop, which accepts what waits (<c>accept4</c>) and
/// gives the connections to the loops in turn; Kestrel takes them from <see cref="AcceptAsync"/>,
/// or, on a port with a front (<see cref="LoopFronts"/>), those the front passes on.
/// </summary>
internal sealed partial class LoopListener : IConnectionListener, IWatched
{
    /// <summary>Kestrel's socket transport's backlog.</summary>
    private const int Backlog = 512;

    /// <summary>Connections one round accepts at most, so the loop still serves the ones it has.</summary>
    private const int MaxAcceptsPerRound = 16;

    private static readonly TimeSpan PauseAfterFailure = TimeSpan.FromMilliseconds(50);

    private readonly Socket _socket;
    private readonly int _fd;
    private readonly EventLoop _loop;
    private readonly Func<EventLoop> _nextLoop;
    private readonly GCHandle _self;
    private readonly ConnectionGuard? _guard;
    private readonly ConnectionOpener? _open;
    private readonly Action<LoopConnection> _serve;
    private readonly ILogger _logger;
    private readonly Channel<LoopConnection> _accepted = Channel.CreateUnbounded<LoopConnection>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = true });

    private int _stopped;

    /// <param name="front">What runs first on every connection. None: Kestrel takes every connection.</param>
    public LoopListener(IPEndPoint endpoint, Func<EventLoop> nextLoop, LoopFront? front, ILogger logger)
    {
        _nextLoop = nextLoop;
        _guard = front?.Guard;
        _open = front?.Open(PassOn);
        _serve = connection => _ = Serve(connection);
        _logger = logger;
        _socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (endpoint.Address.Equals(IPAddress.IPv6Any))
        {
            _socket.DualMode = true;
        }

        try
        {
            _socket.Bind(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            _socket.Dispose();
            throw new AddressInUseException(e.Message, e);
        }

        EndPoint = _socket.LocalEndPoint!;
        _socket.Listen(Backlog);
        _socket.Blocking = false;
        _fd = (int)_socket.SafeHandle.DangerousGetHandle();
        _self = GCHandle.Alloc(this);
        _loop = nextLoop();
        _loop.Add(_fd, Linux.EpollIn, _self);
    }

    public EndPoint EndPoint { get; }

    public void OnReady(int events)
    {
        for (var i = 0; i < MaxAcceptsPerRound && Volatile.Read(ref _stopped) == 0; i++)
        {
            var fd = Linux.Accept(_fd);
            if (fd < 0)
            {
                if (Marshal.GetLastPInvokeError() != Linux.WouldBlock)
                {
                    // Out of descriptors or memory (the open-file guard's margin is gone): the waiting
                    // connection stays in the backlog, and the level-triggered listener would be
                    // reported again at once, so it is not watched for a moment.
                    Pause();
                }

                return;
            }

            LoopConnection connection;
            try
            {
                connection = new LoopConnection(fd, _nextLoop());
            }
            catch (IOException)
            {
                // epoll would not take it (its limit on watched sockets): it is closed.
                continue;
            }

            if (_open is null)
            {
                connection.ReadEndPoints();
                _accepted.Writer.TryWrite(connection);
            }
            else
            {
                // Started on the thread pool, as Kestrel starts its connections: run here, on the
                // loop, the handshakes of a burst of connects held up the loop's other sockets
                // (connects 0.91x, handshake p50 1.17x slower, docs/benchmarks.md).
                ThreadPool.UnsafeQueueUserWorkItem(_serve, connection, preferLocal: false);
            }
        }
    }

    /// <summary>Runs the front on a connection, as Kestrel runs its connection middleware; disposes it after, unless Kestrel took it.</summary>
    private async Task Serve(LoopConnection connection)
    {
        var admitted = _guard!.TryAdmit(connection);
        try
        {
            if (admitted)
            {
                await await _open!(connection);
            }
        }
        catch (Exception e)
        {
            // What failed may have left the connection anywhere in a message: it is cut, not ended in order.
            LogFailed(_logger, e, connection.ConnectionId);
            connection.Abort(new ConnectionAbortedException("The connection's processing failed.", e));
        }
        finally
        {
            if (admitted)
            {
                _guard.Leave();
            }

            if (!connection.PassedOn)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>What the front passes on: Kestrel takes the connection; done once Kestrel has disposed it.</summary>
    private Task PassOn(ConnectionContext context)
    {
        var connection = (LoopConnection)context;
        connection.ReadEndPoints();
        var disposed = connection.PassOn();
        if (!_accepted.Writer.TryWrite(connection))
        {
            // The listener stopped: the connection stays the front's, which ends it.
            connection.TakeBack();
            connection.Abort(new ConnectionAbortedException("The server stopped listening."));
            return Task.CompletedTask;
        }

        return disposed;
    }

    private void Pause()
    {
        _loop.Change(_fd, 0, _self);
        _ = ResumeAfterPause();
    }

    private async Task ResumeAfterPause()
    {
        await Task.Delay(PauseAfterFailure);
        _loop.Schedule(static state =>
        {
            var listener = (LoopListener)state!;
            if (Volatile.Read(ref listener._stopped) == 0)
            {
                listener._loop.Change(listener._fd, Linux.EpollIn, listener._self);
            }
        }, this);
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    /// <summary>Stops accepting; connections accepted and not taken yet are cut. The socket is closed on the loop, which may be in the middle of an accept.</summary>
    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _loop.Schedule(static state =>
        {
            var listener = (LoopListener)state!;
            listener._loop.Remove(listener._fd, listener._self);
            listener._socket.Dispose();
            listener._accepted.Writer.TryComplete();
            while (listener._accepted.Reader.TryRead(out var connection))
            {
                connection.Abort(new ConnectionAbortedException("The server stopped listening."));
            }
        }, this);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception while processing connection {ConnectionId}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string connectionId);
}
