using SoketiOrleans.Quotas;

namespace SoketiOrleans.Gateway.Quotas;

/// <summary>
/// A gateway's share of one rate limit: tokens leased from the grain's current window, spent
/// locally. Leases come in batches of a sixteenth of the limit (none below 16, where every take
/// asks the grain and the limit is exact for the cluster); a new batch is asked for when half of
/// one is left, so a steady stream of requests rarely waits on the grain. Tokens lapse with their
/// window, timed from when they were asked for, so never after the grain's window ends. Not
/// thread-safe: the owner locks.
/// </summary>
internal sealed class TokenLease(int limit)
{
    private long _window;
    private int _tokens;
    private long _expiresAt;
    private int? _windowRemaining;

    public enum Answer
    {
        Taken,
        Refused,
        AskGrain,
    }

    public int Batch => limit / 16;

    public int Tokens => _tokens;

    public Answer TryTake(int points, long now)
    {
        Lapse(now);
        if (points > limit)
        {
            return Answer.Refused;
        }

        if (_tokens >= points)
        {
            _tokens -= points;
            return Answer.Taken;
        }

        // What the window has left only shrinks, so more than that cannot come from the grain either.
        return points > _tokens + (long?)_windowRemaining ? Answer.Refused : Answer.AskGrain;
    }

    /// <summary>How many tokens to ask the grain for, with <paramref name="waiting"/> points waiting; 0 = none.</summary>
    public int Wanted(int waiting, long now)
    {
        Lapse(now);
        var missing = Math.Max(waiting - _tokens, 0);
        var prefetch = Batch > 0 && _tokens - waiting < (Batch + 1) / 2 && _windowRemaining != 0 ? Batch : 0;
        return missing + prefetch;
    }

    /// <summary>Whether spending has left the lease low enough to ask for the next batch in the background.</summary>
    public bool Low(long now) => Wanted(0, now) > 0;

    /// <param name="askedAt">When the lease was asked for: its validity counts from then, before the grain granted it.</param>
    public void Granted(RateLease lease, long askedAt, long now)
    {
        Lapse(now);
        var expiresAt = askedAt + (long)lease.ValidFor.TotalMilliseconds;
        if (lease.Window != _window)
        {
            _window = lease.Window;
            _tokens = 0;
            _expiresAt = expiresAt;
        }

        _tokens += lease.Granted;
        _expiresAt = Math.Max(_expiresAt, expiresAt);
        _windowRemaining = lease.Remaining;
        Lapse(now);
    }

    private void Lapse(long now)
    {
        if (now >= _expiresAt)
        {
            _tokens = 0;
            _windowRemaining = null;
        }
    }
}
