namespace SoketiOrleans.Grains.Webhooks;

/// <summary>Server-wide webhook settings: soketi's batching, then this server's delivery schedule.</summary>
/// <param name="BatchingDuration">With batching on, how long the first event of a batch waits for more.</param>
/// <param name="Timeout">How long one POST may take before it counts as failed (and is retried).</param>
/// <param name="RetryInitialDelay">The wait before the first retry; each further retry waits twice as long.</param>
/// <param name="RetryMaxDelay">The longest wait between two attempts.</param>
/// <param name="GiveUpAfter">No retry starts later than this after the first attempt.</param>
public sealed record WebhookOptions(
    bool BatchingEnabled,
    TimeSpan BatchingDuration,
    TimeSpan Timeout,
    TimeSpan RetryInitialDelay,
    TimeSpan RetryMaxDelay,
    TimeSpan GiveUpAfter)
{
    public static readonly WebhookOptions Defaults = new(
        false, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan RetryDelay(int retry)
    {
        var delay = RetryInitialDelay * Math.Pow(2, Math.Min(retry - 1, 30));
        return delay < RetryMaxDelay ? delay : RetryMaxDelay;
    }
}
