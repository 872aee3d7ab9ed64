using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace SoketiOrleans.Gateway.Sockets;

/// <summary>Every open socket of this gateway, for pings, shutdown and counts.</summary>
public sealed class SocketRegistry
{
    private readonly ConcurrentDictionary<string, PusherSocket> _sockets = new(StringComparer.Ordinal);

    /// <summary>Kept beside the dictionary, whose own count takes every bucket's lock.</summary>
    private int _open;

    private int _peak;

    public int Count => Volatile.Read(ref _open);

    /// <summary>The most sockets open at once since the last <see cref="ResetPeak"/>: a crowd that came and went between two looks still counts.</summary>
    internal int Peak => Volatile.Read(ref _peak);

    public ICollection<PusherSocket> All => _sockets.Values;

    internal bool TryGet(string socketId, [NotNullWhen(true)] out PusherSocket? socket) => _sockets.TryGetValue(socketId, out socket);

    internal void ResetPeak() => Volatile.Write(ref _peak, Count);

    internal void Add(PusherSocket socket)
    {
        if (!_sockets.TryAdd(socket.Id, socket))
        {
            return;
        }

        var open = Interlocked.Increment(ref _open);
        for (var peak = Volatile.Read(ref _peak); open > peak; peak = Volatile.Read(ref _peak))
        {
            if (Interlocked.CompareExchange(ref _peak, open, peak) == peak)
            {
                return;
            }
        }
    }

    internal void Remove(PusherSocket socket)
    {
        if (_sockets.TryRemove(KeyValuePair.Create(socket.Id, socket)))
        {
            Interlocked.Decrement(ref _open);
        }
    }
}
