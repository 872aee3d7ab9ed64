using Microsoft.AspNetCore.Http;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Gateway.HttpApi;

namespace SoketiOrleans.Gateway.Health;

/// <summary>soketi's probes: <c>GET /</c> answers while the process runs, <c>GET /ready</c> while it accepts sockets.</summary>
internal static class HealthEndpoints
{
    public static IResult Alive() => Results.Text("OK");

    public static Task Ready(HttpContext context, GatewayLifecycle lifecycle) => lifecycle.IsClosing
        ? ApiResponses.Error(context, StatusCodes.Status503ServiceUnavailable, "The server is closing. Choose another server.")
        : context.Response.WriteAsync("OK");
}
