using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace SoketiOrleans.Gateway.Sockets;

/// <summary>Every open socket of this gateway, for pings, shutdown and counts.</summary>
public sealed class SocketRegistry
{
    private readonly ConcurrentDictionary<string, PusherSocket> _sockets = new(StringComparer.Ordinal);

    public int Count => _sockets.Count;

    public ICollection<PusherSocket> All => _sockets.Values;

    internal bool TryGet(string socketId, [NotNullWhen(true)] out PusherSocket? socket) => _sockets.TryGetValue(socketId, out socket);

    internal void Add(PusherSocket socket) => _sockets[socket.Id] = socket;

    internal void Remove(PusherSocket socket) => _sockets.TryRemove(KeyValuePair.Create(socket.Id, socket));
}
