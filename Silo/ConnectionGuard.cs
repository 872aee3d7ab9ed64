using Microsoft.AspNetCore.Connections;

namespace SoketiOrleans.Silo;

/// <summary>
/// Keeps connections from using up the process's open-file limit. A .NET process with no file
/// descriptor left aborts ("Out of memory.") the next time it starts a thread, so a client that
/// opens sockets until the limit would take the whole server down. A connection beyond the limit
/// less a reserve (for threads, assemblies, Orleans, Redis and webhook connections) is closed as
/// soon as it is accepted. The limit is read for every connection, so one changed on the running
/// process (<c>prlimit</c>) counts at once (<see cref="OpenFileLimit"/>).
/// </summary>
internal sealed partial class ConnectionGuard(ILogger<ConnectionGuard> logger)
{
    private const long WarningIntervalMs = 10_000;

    private int _open;
    private long _lastWarning = -WarningIntervalMs;

    /// <summary>How many connections a process with this open-file limit takes.</summary>
    public static long Cap(long openFileLimit) => openFileLimit - Math.Clamp(openFileLimit / 10, 512, 65_536);

    /// <summary>As Kestrel connection middleware (with TLS, or without the event loops).</summary>
    public async Task OnConnection(ConnectionContext connection, ConnectionDelegate next)
    {
        if (!TryAdmit(connection))
        {
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            Leave();
        }
    }

    /// <returns>False, with the connection aborted, when it is one too many; otherwise it counts until <see cref="Leave"/>.</returns>
    public bool TryAdmit(ConnectionContext connection)
    {
        var open = Interlocked.Increment(ref _open);
        if (OpenFileLimit.Current() is { } limit && open > Cap(limit))
        {
            Interlocked.Decrement(ref _open);
            Refuse(connection, limit);
            return false;
        }

        return true;
    }

    public void Leave() => Interlocked.Decrement(ref _open);

    private void Refuse(ConnectionContext connection, long limit)
    {
        connection.Abort();
        var now = Environment.TickCount64;
        var last = Volatile.Read(ref _lastWarning);
        if (now - last >= WarningIntervalMs && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
        {
            LogRefusing(logger, Cap(limit), limit);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refusing new connections: {Cap} are open, the most the open-file limit ({Limit}, ulimit -n) leaves room for")]
    private static partial void LogRefusing(ILogger logger, long cap, long limit);
}
