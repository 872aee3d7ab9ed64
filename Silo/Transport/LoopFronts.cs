using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;

namespace SoketiOrleans.Silo.Transport;

/// <summary>
/// What runs first on a port's connections when the event loops serve that port: its connection
/// middleware, run by the listener instead of by Kestrel. Only a connection the middleware passes on
/// becomes a Kestrel connection, so a WebSocket never does, and keeps none of what Kestrel keeps per
/// connection for the connection's life (its connection and state machine, log scope, metrics
/// context, entries in its connection manager, feature dictionary).
/// </summary>
internal sealed class LoopFronts
{
    private readonly ConcurrentDictionary<int, LoopFront> _byPort = new();

    /// <summary>
    /// Serves the connections of every address bound with this port: each admitted by
    /// <paramref name="guard"/>, then opened by what <paramref name="open"/> builds on the delegate
    /// that hands a connection to Kestrel.
    /// </summary>
    public void Set(int port, ConnectionGuard guard, Func<ConnectionDelegate, ConnectionOpener> open) => _byPort[port] = new LoopFront(guard, open);

    public LoopFront? For(EndPoint endpoint) =>
        endpoint is IPEndPoint ip && _byPort.TryGetValue(ip.Port, out var front) ? front : null;
}

/// <summary>
/// A front's first steps on a connection (such as reading an upgrade): completes with the task that
/// runs the rest of the connection's life, which the listener awaits, so that no method of the front
/// stays suspended for as long as the connection lives.
/// </summary>
internal delegate Task<Task> ConnectionOpener(ConnectionContext connection);

internal sealed record LoopFront(ConnectionGuard Guard, Func<ConnectionDelegate, ConnectionOpener> Open);
