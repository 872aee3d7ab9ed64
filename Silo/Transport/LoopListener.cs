using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace SoketiOrleans.Silo.Transport;

/// <summary>A listening TCP socket whose accepted connections go to the event loops in turn.</summary>
internal sealed class LoopListener : IConnectionListener
{
    /// <summary>Kestrel's socket transport's backlog.</summary>
    private const int Backlog = 512;

    private readonly Socket _socket;
    private readonly Func<EventLoop> _nextLoop;

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
    }

    public EndPoint EndPoint { get; }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                return new LoopConnection(await _socket.AcceptAsync(cancellationToken), _nextLoop());
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.OperationAborted)
            {
                return null;
            }
            catch (SocketException)
            {
                // Reset while it waited in the backlog: the next one.
            }
            catch (IOException)
            {
                // epoll would not take it (its limit on watched sockets): it is closed; the next one.
            }
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
