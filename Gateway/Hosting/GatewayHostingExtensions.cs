using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.Health;
using SoketiOrleans.Gateway.HttpApi;
using SoketiOrleans.Gateway.Ledger;
using SoketiOrleans.Gateway.Metrics;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Gateway.Quotas;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Gateway.Users;
using SoketiOrleans.Gateway.WarmUp;
using SoketiOrleans.Gateways;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Gateway.Hosting;

/// <summary>The gateway's only entry points: its services, then its endpoints.</summary>
public static class GatewayHostingExtensions
{
    public const string NotFound = "There is nothing at this path.";

    /// <summary>
    /// Needs an <see cref="IGrainFactory"/> from a co-hosted silo or an Orleans client, the host's
    /// <see cref="IAppManager"/>, a <see cref="GatewayMetrics"/>, and an <see cref="IWebhookEvents"/> for client events. A host that
    /// co-hosts a silo registers the gateway's <see cref="GatewayIdentity"/> (named after the silo)
    /// first; otherwise the gateway takes a client id.
    /// </summary>
    /// <param name="warmUp">Where the gateway's port is reached from inside this process, for its warm-up.</param>
    public static IServiceCollection AddSoketiGateway(this IServiceCollection services, GatewayOptions options, WarmUpTarget warmUp)
    {
        services.AddSingleton(options);
        services.AddSingleton(warmUp);
        services.AddSingleton(sp => new GatewayApps(sp.GetRequiredService<IAppManager>()));
        services.AddSingleton<StartupWarmUp>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new GatewayIdentity(GatewayIds.ForClient()));
        services.AddSingleton<ICluster, GrainCluster>();
        services.AddSingleton<Reassertion.Reassertion>();
        services.AddSingleton<LocalLedger>();
        services.AddSingleton<IGatewayState, GatewayState>();
        services.AddSingleton<GatewayObserver>();
        services.AddKeyedSingleton<IGatewayObserver>(GatewayIds.InProcess, (sp, _) => sp.GetRequiredService<GatewayObserver>());
        services.AddSingleton<LocalChannelIndex>();
        services.AddSingleton<LocalUsers>();
        services.AddSingleton<ChannelSubscriptions>();
        services.AddSingleton<ChannelPublisher>();
        services.AddSingleton<ClientEvents>();
        services.AddSingleton<UserSignIns>();
        services.AddSingleton<TerminateConnectionsEndpoint>();
        services.AddSingleton<SocketIds>();
        services.AddSingleton<SocketRegistry>();
        services.AddSingleton<WebSocketEndpoint>();
        services.AddSingleton<WebSocketUpgrades>();
        services.AddSingleton<EventsEndpoints>();
        services.AddSingleton<ChannelsEndpoints>();
        services.AddSingleton<GatewayLifecycle>();
        services.AddSingleton<CorsHeaders>();
        services.AddSingleton<ConnectionQuotas>();
        services.AddSingleton<ConnectsPerAddress>();
        services.AddSingleton<RateLimits>();
        services.AddHostedService<GatewayObserverRegistration>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalLedger>());
        services.AddHostedService(sp => sp.GetRequiredService<Reassertion.Reassertion>());
        services.AddHostedService(sp => sp.GetRequiredService<GatewayLifecycle>());
        services.AddHostedService<Housekeeping>();
        services.AddHostedService<MemoryGiveBack>();
        services.AddHostedService(sp => sp.GetRequiredService<StartupWarmUp>());
        return services;
    }

    /// <summary>
    /// A gateway that runs outside the silos, as an Orleans client: it also keeps itself in the
    /// silos' rosters, where rebuilding grains find it.
    /// </summary>
    public static IServiceCollection AddSoketiClientGateway(this IServiceCollection services, GatewayOptions options, WarmUpTarget warmUp)
    {
        services.AddSoketiGateway(options, warmUp);
        services.AddHostedService<GatewayRosterRenewal>();
        return services;
    }

    /// <summary>
    /// On the server's port (after TLS, when there is TLS): WebSocket upgrades skip HTTP, in a process
    /// that has a gateway (<see cref="WebSocketUpgrades"/>).
    /// </summary>
    public static ListenOptions UseSoketiUpgrades(this ListenOptions listen)
    {
        if (listen.ApplicationServices.GetService<WebSocketUpgrades>() is { } upgrades)
        {
            listen.Use(next => connection => upgrades.OnConnection(connection, next));
        }

        return listen;
    }

    /// <summary>
    /// What serves WebSocket upgrades and passes every other connection on, as a front of the event
    /// loops runs it (<see cref="WebSocketUpgrades.Open"/>); null in a process without a gateway.
    /// </summary>
    public static Func<ConnectionContext, ConnectionDelegate, Task<Task>>? SoketiUpgradesOpen(IServiceProvider services) =>
        services.GetService<WebSocketUpgrades>() is { } upgrades ? upgrades.Open : null;

    public static WebApplication MapSoketiGateway(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<GatewayOptions>();
        var prefix = options.PathPrefix;
        var lifecycle = app.Services.GetRequiredService<GatewayLifecycle>();
        var warmUp = app.Services.GetRequiredService<StartupWarmUp>();
        // No WebSocket-level pings: Pusher's own ping and pong (the activity timeout) find dead
        // sockets, and ASP.NET Core's keep-alive would hold a timer for every socket.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Use(app.Services.GetRequiredService<CorsHeaders>().Handle);
        HealthEndpoints.MapProbes(app, prefix, () => lifecycle.IsClosing, () => warmUp.IsWarming);
        HealthEndpoints.MapAcceptTraffic(app, prefix, () => lifecycle.IsClosing, () => warmUp.IsWarming, options.AcceptTrafficMemoryThreshold);
        app.Map(prefix + "/app/{appKey}", (HttpContext context, string appKey, WebSocketEndpoint endpoint) => endpoint.Handle(context, appKey));

        var api = app.MapGroup(prefix + "/apps/{appId}");
        api.AddEndpointFilter<ApiCallRecorder>();
        api.MapPost("/events", (HttpContext context, string appId, EventsEndpoints events) => events.Trigger(context, appId));
        api.MapPost("/batch_events", (HttpContext context, string appId, EventsEndpoints events) => events.TriggerBatch(context, appId));
        api.MapGet("/channels", (HttpContext context, string appId, ChannelsEndpoints channels) => channels.List(context, appId));
        api.MapGet("/channels/{channelName}", (HttpContext context, string appId, string channelName, ChannelsEndpoints channels) =>
            channels.Get(context, appId, channelName));
        api.MapGet("/channels/{channelName}/users", (HttpContext context, string appId, string channelName, ChannelsEndpoints channels) =>
            channels.Users(context, appId, channelName));
        api.MapPost("/users/{userId}/terminate_connections", (HttpContext context, string appId, string userId, TerminateConnectionsEndpoint users) =>
            users.Terminate(context, appId, userId));
        // Anything else (an unknown path, an empty channel name) is a JSON error like every other
        // refusal. The pattern is given because the default one leaves out paths that look like file
        // names (a dot in the last segment: a channel named "a.b" with another method answered an empty 404).
        app.MapFallback("{*path}", context => ApiResponses.Error(context, StatusCodes.Status404NotFound, NotFound));
        return app;
    }
}
