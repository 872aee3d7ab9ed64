using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Gateway.Metrics;

namespace SoketiOrleans.Gateway.HttpApi;

/// <summary>
/// Every HTTP API call, once answered: a Debug line (app, method, path, status, time), and soketi's
/// counters for answered calls only (200, which also means the app exists), by body sizes.
/// </summary>
internal sealed partial class ApiCallRecorder(GatewayMetrics metrics, ILogger<ApiCallRecorder> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await next(context);
        var http = context.HttpContext;
        var appId = http.Request.RouteValues["appId"] as string ?? "";
        var status = http.Response.StatusCode;
        LogCall(logger, appId, http.Request.Method, http.Request.Path, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (status == StatusCodes.Status200OK)
        {
            metrics.ForApp(appId).HttpCall(http.Request.ContentLength ?? 0, http.Response.ContentLength ?? 0);
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "API {AppId} {Method} {Path} answered {Status} in {ElapsedMs:F1} ms")]
    private static partial void LogCall(ILogger logger, string appId, string method, PathString path, int status, double elapsedMs);
}
