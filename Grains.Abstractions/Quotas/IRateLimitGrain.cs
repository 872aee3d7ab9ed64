namespace SoketiOrleans.Quotas;

/// <summary>
/// One per app and kind of limit, keyed by <see cref="RateLimitKey"/>: the cluster-wide budget of
/// one window. Gateways lease tokens in batches and spend them locally, so the grain never grants
/// more than the limit per window, whichever gateways ask.
/// </summary>
[Alias("so.IRateLimitGrain")]
public interface IRateLimitGrain : IGrainWithStringKey
{
    /// <summary>Grants up to <paramref name="wanted"/> tokens of the current window, fewer when it has fewer left.</summary>
    /// <param name="limit">Tokens per window; passed by the caller, which knows the app's configuration.</param>
    Task<RateLease> Lease(int wanted, int limit);
}
