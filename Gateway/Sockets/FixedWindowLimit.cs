namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// At most a given number of takes per second, counted in windows that start with the first take
/// after the previous window ended (soketi's per-socket client event limit behaves this way). Used
/// by one socket's message loop only, so it needs no locking; a struct, kept inside its socket
/// rather than as one more object per socket.
/// </summary>
internal struct FixedWindowLimit
{
    private const long WindowMilliseconds = 1000;
    private long _windowEnd;
    private int _taken;

    /// <param name="limit">Takes allowed per window; negative means unlimited.</param>
    public bool TryTake(int limit, long nowMilliseconds)
    {
        if (limit < 0)
        {
            return true;
        }

        if (nowMilliseconds >= _windowEnd)
        {
            _windowEnd = nowMilliseconds + WindowMilliseconds;
            _taken = 0;
        }

        if (_taken >= limit)
        {
            return false;
        }

        _taken++;
        return true;
    }
}
