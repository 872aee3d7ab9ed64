using SoketiOrleans.Gateway.Health;

namespace SoketiOrleans.Silo;

/// <summary>
/// A <c>worker</c> answers only what orchestrators probe: <c>/</c> while it runs and <c>/ready</c>
/// until it begins to stop. It has no WebSocket endpoint and no HTTP API.
/// </summary>
internal static class WorkerEndpoints
{
    public static void Map(WebApplication app, string pathPrefix) =>
        HealthEndpoints.MapProbes(app, pathPrefix, () => app.Lifetime.ApplicationStopping.IsCancellationRequested, () => false);
}
