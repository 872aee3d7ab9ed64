using Microsoft.AspNetCore.Server.Kestrel.Core;
using SoketiOrleans.Gateway.Health;
using SoketiOrleans.Gateway.WarmUp;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo.Metrics;

/// <summary>
/// soketi's metrics server, on its own port (<c>metrics.port</c>, 9601) when metrics are enabled:
/// <c>/metrics</c> (Prometheus text), <c>/</c>, <c>/ready</c> and <c>/usage</c>; anything else 404.
/// Requests to it are answered before routing, so no route of the main port answers there.
/// </summary>
internal static class MetricsPort
{
    public static void Listen(KestrelServerOptions kestrel, MetricsOptions metrics)
    {
        if (metrics.Enabled)
        {
            kestrel.Listen(Ports.ListenAddress(metrics.Host), metrics.Port);
        }
    }

    public static void Use(WebApplication app, SoketiOptions options)
    {
        if (!options.Metrics.Enabled)
        {
            return;
        }

        var port = options.Metrics.Port;
        var prefix = options.Gateway.PathPrefix;
        var registry = app.Services.GetRequiredService<MetricsRegistry>().Registry;
        var stopping = app.Lifetime.ApplicationStopping;
        var warmUp = app.Services.GetService<StartupWarmUp>();
        app.Use((context, next) =>
        {
            if (context.Connection.LocalPort != port)
            {
                return next(context);
            }

            var path = context.Request.Path.Value ?? "";
            if (!path.StartsWith(prefix, StringComparison.Ordinal) || !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            switch (path[prefix.Length..])
            {
                case "/metrics":
                    context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                    return registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
                case "/usage":
                    return HealthEndpoints.Usage(context);
                case "/ready":
                    return HealthEndpoints.Ready(context, stopping.IsCancellationRequested, warmUp?.IsWarming ?? false);
                case "/" or "":
                    return HealthEndpoints.Alive(context);
                default:
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
            }
        });
    }
}
