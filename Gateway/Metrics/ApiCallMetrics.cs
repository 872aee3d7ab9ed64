using Microsoft.AspNetCore.Http;

namespace SoketiOrleans.Gateway.Metrics;

/// <summary>
/// Counts HTTP API calls as soketi does: only answered ones (200), which also means the app exists,
/// by the request's and the response's body sizes.
/// </summary>
internal sealed class ApiCallMetrics(GatewayMetrics metrics) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        if (http.Response.StatusCode == StatusCodes.Status200OK && http.Request.RouteValues["appId"] is string appId)
        {
            metrics.ForApp(appId).HttpCall(http.Request.ContentLength ?? 0, http.Response.ContentLength ?? 0);
        }

        return result;
    }
}
