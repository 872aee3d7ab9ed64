using SoketiOrleans.Quotas;

namespace SoketiOrleans.Grains.Quotas;

/// <summary>
/// Fixed one-second windows, each starting with the first lease after the previous one ended
/// (soketi's rate limiter counts the same way), and never granting more than the limit in one.
/// </summary>
public sealed class RateWindow
{
    public static readonly TimeSpan Length = TimeSpan.FromSeconds(1);

    // Starts at a random id so a re-activated grain does not reuse ids gateways still hold.
    private long _window = Random.Shared.NextInt64();
    private long? _start;
    private int _granted;

    public RateLease Lease(int wanted, int limit, long nowMilliseconds)
    {
        var length = (long)Length.TotalMilliseconds;
        if (_start is not { } start || nowMilliseconds - start >= length)
        {
            start = nowMilliseconds;
            _start = start;
            _granted = 0;
            _window++;
        }

        var granted = Math.Clamp(limit - _granted, 0, Math.Max(wanted, 0));
        _granted += granted;
        return new RateLease(
            _window,
            granted,
            Math.Max(limit - _granted, 0),
            TimeSpan.FromMilliseconds(start + length - nowMilliseconds));
    }
}
