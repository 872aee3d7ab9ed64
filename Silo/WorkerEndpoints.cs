namespace SoketiOrleans.Silo;

/// <summary>
/// A <c>worker</c> answers only what orchestrators probe: <c>GET /</c> while it runs and
/// <c>GET /ready</c> until it begins to stop. It has no WebSocket endpoint and no HTTP API.
/// </summary>
internal static class WorkerEndpoints
{
    public static void Map(WebApplication app, string pathPrefix)
    {
        app.MapGet(pathPrefix + "/", () => Results.Text("OK"));
        app.MapGet(pathPrefix + "/ready", (IHostApplicationLifetime lifetime) => lifetime.ApplicationStopping.IsCancellationRequested
            ? Results.Json(new { error = "The server is closing. Choose another server.", code = 503 }, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("OK"));
    }
}
