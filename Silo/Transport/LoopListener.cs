using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace SoketiOrleans.Silo.Transport;

/// <summary>
/// A listening TCP socket watched by one event loop, which accepts what waits (<c>accept4</c>) and
/// gives the connections to the loops in turn; Kestrel takes them from <see cref="AcceptAsync"/>.
/// </summary>
internal sealed class LoopListener : IConnectionListener, IWatched
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
    private readonly Channel<LoopConnection> _accepted = Channel.CreateUnbounded<LoopConnection>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = true });

    private int _stopped;

    public LoopListener(IPEndPoint endpoint, Func<EventLoop> nextLoop)
    {
        _nextLoop = nextLoop;
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
            var fd = Linux.Accept(_fd, out var remote);
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

            try
            {
                _accepted.Writer.TryWrite(new LoopConnection(fd, remote, _nextLoop()));
            }
            catch (IOException)
            {
                // epoll would not take it (its limit on watched sockets): it is closed.
            }
        }
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
}
