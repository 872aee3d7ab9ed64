using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SoketiOrleans.Gateway.HttpApi;

namespace SoketiOrleans.Gateway.Health;

/// <summary>
/// soketi's probes. <c>/</c> answers while the process runs and <c>/ready</c> once it has warmed up
/// (<see cref="WarmUp.StartupWarmUp"/>) until it begins to stop (503 before and after, while it drains);
/// <c>HEAD</c> works on both, as load balancers often probe that way. <c>/accept-traffic</c> also
/// turns 503 when memory use passes the threshold, and
/// <c>/usage</c> reports memory as soketi's metrics port does.
/// </summary>
public static class HealthEndpoints
{
    public const string ClosingMessage = "The server is closing. Choose another server.";

    public const string StartingMessage = "The server is starting. Try again shortly.";

    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    /// <param name="isClosing">True from the moment the process begins to stop.</param>
    /// <param name="isWarming">True until the process has warmed up.</param>
    public static void MapProbes(IEndpointRouteBuilder routes, string prefix, Func<bool> isClosing, Func<bool> isWarming)
    {
        routes.MapMethods(prefix + "/", GetOrHead, Alive);
        routes.MapMethods(prefix + "/ready", GetOrHead, (HttpContext context) => Ready(context, isClosing(), isWarming()));
    }

    /// <param name="memoryThreshold">Percent of the memory available to the process above which traffic is refused.</param>
    public static void MapAcceptTraffic(IEndpointRouteBuilder routes, string prefix, Func<bool> isClosing, Func<bool> isWarming, double memoryThreshold) =>
        routes.MapMethods(prefix + "/accept-traffic", GetOrHead, (HttpContext context) =>
        {
            var (closing, warming) = (isClosing(), isWarming());
            if (closing || warming)
            {
                return Ready(context, closing, warming);
            }

            var memory = MemoryUse.Now();
            return memory.Percent > memoryThreshold
                ? ApiResponses.Error(context, StatusCodes.Status503ServiceUnavailable, "Low on memory here. Choose another server.")
                : ApiResponses.Json(context, StatusCodes.Status200OK, memory.AcceptTrafficJson());
        });

    public static Task Alive(HttpContext context) => Text(context, "OK");

    public static Task Ready(HttpContext context, bool closing, bool warming) =>
        closing ? ApiResponses.Error(context, StatusCodes.Status503ServiceUnavailable, ClosingMessage)
        : warming ? ApiResponses.Error(context, StatusCodes.Status503ServiceUnavailable, StartingMessage)
        : Text(context, "OK");

    public static Task Usage(HttpContext context) => ApiResponses.Json(context, StatusCodes.Status200OK, MemoryUse.Now().UsageJson());

    private static Task Text(HttpContext context, string text)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text);
    }
}
