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
    private readonly ConcurrentDictionary<int, Func<ConnectionDelegate, ConnectionDelegate>> _byPort = new();

    /// <summary>Serves the connections of every address bound with this port through the middleware <paramref name="front"/> builds on the delegate that hands a connection to Kestrel.</summary>
    public void Set(int port, Func<ConnectionDelegate, ConnectionDelegate> front) => _byPort[port] = front;

    public Func<ConnectionDelegate, ConnectionDelegate>? For(EndPoint endpoint) =>
        endpoint is IPEndPoint ip && _byPort.TryGetValue(ip.Port, out var front) ? front : null;
}
