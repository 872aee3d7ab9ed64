namespace SoketiOrleans.Quotas;

/// <summary>The kinds of per-app rate limits, and the key of their grain: <c>{appId}:{kind}</c>.</summary>
public static class RateLimitKey
{
    /// <summary><c>maxBackendEventsPerSecond</c>: one token per channel of each event published through the HTTP API.</summary>
    public const string BackendEvents = "backend-events";

    /// <summary><c>maxReadRequestsPerSecond</c>: one token per HTTP API read.</summary>
    public const string ReadRequests = "read-requests";

    public static string Format(string appId, string kind) => string.Concat(appId, ":", kind);
}
