using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.HttpApi;
using SoketiOrleans.Gateway.Metrics;
using SoketiOrleans.Quotas;

namespace SoketiOrleans.Gateway.Quotas;

/// <summary>
/// The HTTP API's per-app rate limits, counted for the whole cluster. Apps without a limit (-1)
/// never reach a grain. Over the limit the answer is 429 with a JSON body naming the limit.
/// </summary>
internal sealed partial class RateLimits(ICluster cluster, GatewayMetrics metrics, ILogger<RateLimits> logger)
{
    private readonly ConcurrentDictionary<string, ClusterRateLimit> _limits = new(StringComparer.Ordinal);

    public Task<bool> AllowBackendEvents(HttpContext context, App app, int points) =>
        Allow(context, app, RateLimitKey.BackendEvents, app.MaxBackendEventsPerSecond, points, "backend events");

    public Task<bool> AllowRead(HttpContext context, App app) =>
        Allow(context, app, RateLimitKey.ReadRequests, app.MaxReadRequestsPerSecond, 1, "read requests");

    /// <returns>Whether to go on; when not, the response is written.</returns>
    private async Task<bool> Allow(HttpContext context, App app, string kind, int limit, int points, string what)
    {
        if (limit < 0)
        {
            return true;
        }

        var key = RateLimitKey.Format(app.Id, kind);
        var rateLimit = _limits.GetOrAdd(key, static (k, s) => new ClusterRateLimit(k, s.limit, s.cluster, s.logger),
            (limit, cluster, logger));
        var headers = context.Response.Headers;
        headers["X-RateLimit-Limit"] = rateLimit.Limit.ToString(CultureInfo.InvariantCulture);
        bool allowed;
        try
        {
            allowed = await rateLimit.TryTake(points);
        }
        catch (Exception e)
        {
            LogCheckFailed(logger, e, app.Id);
            await ApiResponses.Error(context, StatusCodes.Status500InternalServerError, "A server error has occurred.");
            return false;
        }

        if (!allowed)
        {
            metrics.ForApp(app.Id).RateLimited(kind.Replace('-', '_'));
            headers["X-RateLimit-Remaining"] = "0";
            headers.RetryAfter = "1";
            await ApiResponses.Error(context, StatusCodes.Status429TooManyRequests,
                $"The {what} rate limit of {rateLimit.Limit} per second was exceeded.");
        }

        return allowed;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking a rate limit of app {AppId} failed")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string appId);
}
