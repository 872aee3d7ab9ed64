namespace SoketiOrleans.Grains.Webhooks.Redis;

/// <summary>The Redis webhook queue's clock: who sends, how soon a dead sender is replaced, how often to look.</summary>
/// <param name="Lease">
/// How long a node's claim on a destination's stream lasts unless renewed. A node that dies holding it
/// keeps its entries waiting this long (plus up to one <paramref name="Refresh"/>) before another
/// node sends them.
/// </param>
/// <param name="Refresh">How often the owner renews its lease, and every other node tries to take it.</param>
/// <param name="Poll">How often the owner looks for entries other nodes appended (this node's own wake it at once).</param>
/// <param name="RetryInitialDelay">The first wait after a failed Redis call; each further failure waits twice as long.</param>
/// <param name="RetryMaxDelay">The longest wait between two tries while Redis is down, so recovery is seen soon.</param>
public sealed record RedisWebhookTimes(TimeSpan Lease, TimeSpan Refresh, TimeSpan Poll, TimeSpan RetryInitialDelay, TimeSpan RetryMaxDelay)
{
    /// <summary>A dead node's entries are sent by another within 10-12 s; five renewals fit in one lease, so a slow Redis call or two does not lose it.</summary>
    public static readonly RedisWebhookTimes Defaults = new(
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));

    /// <summary>The wait after failure number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan RetryDelay(int attempt)
    {
        var delay = RetryInitialDelay * Math.Pow(2, Math.Min(attempt - 1, 30));
        return delay < RetryMaxDelay ? delay : RetryMaxDelay;
    }
}
