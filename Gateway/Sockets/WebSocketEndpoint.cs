using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Gateway.HttpApi;
using SoketiOrleans.Gateway.Metrics;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Gateway.Quotas;
using SoketiOrleans.Gateway.Users;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// <c>GET /app/{key}</c>: admits a connection or refuses it the Pusher way, which is to accept the
/// upgrade, send <c>pusher:error</c> and close with the same code, so clients see why.
/// </summary>
internal sealed partial class WebSocketEndpoint(
    IAppManager apps,
    SocketIds socketIds,
    SocketRegistry registry,
    ChannelSubscriptions subscriptions,
    ClientEvents clientEvents,
    UserSignIns users,
    ConnectionQuotas quotas,
    GatewayLifecycle lifecycle,
    GatewayOptions options,
    GatewayMetrics metrics,
    ILogger<SocketSession> logger)
{
    private const int LowestProtocol = 4;
    private const int HighestProtocol = 7;
    private static readonly TimeSpan RefusalTimeout = TimeSpan.FromSeconds(2);

    public async Task Handle(HttpContext context, string appKey)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ApiResponses.Error(context, StatusCodes.Status400BadRequest, "This endpoint only accepts WebSocket connections.");
            return;
        }

        var app = await apps.FindByKey(appKey);
        var refusal = Refusal(context, appKey, app);
        ConnectionSlot? slot = null;
        if (refusal is null)
        {
            (slot, refusal) = await Admit(app!);
        }

        using var admitted = slot;
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
        if (refusal is { } r)
        {
            await Refuse(webSocket, r.Code, r.Message, context.RequestAborted);
            return;
        }

        var socket = new PusherSocket(socketIds.Next(), app!, webSocket, options.WebSockets.MaxBackpressureBytes, metrics.ForApp(app!.Id));
        if (app!.EnableUserAuthentication)
        {
            socket.RequireSignInWithin(options.UserAuthenticationTimeout);
        }

        var session = new SocketSession(socket, webSocket, subscriptions, clientEvents, users, registry, logger);
        await session.Run(
            ServerFrames.ConnectionEstablished(socket.Id, (int)options.WebSockets.ActivityTimeout.TotalSeconds),
            context.RequestAborted);
    }

    private async Task<(ConnectionSlot? Slot, (int Code, string Message)? Refusal)> Admit(App app)
    {
        try
        {
            if (await quotas.TryAdmit(app) is { } slot)
            {
                return (slot, null);
            }

            metrics.ForApp(app.Id).ConnectionQuotaRejected();
            return (null, (PusherCloseCodes.OverQuota, ConnectionQuotas.OverQuotaMessage));
        }
        catch (Exception e)
        {
            // The cluster could not count: the client should come back later (4100 backs off), not give up.
            LogAdmissionFailed(logger, e, app.Id);
            return (null, (PusherCloseCodes.OverCapacity, "The connection quota could not be checked; try again later."));
        }
    }

    private (int Code, string Message)? Refusal(HttpContext context, string appKey, App? app)
    {
        if (lifecycle.IsClosing)
        {
            return (PusherCloseCodes.ReconnectImmediately, GatewayLifecycle.ClosingMessage);
        }

        if (app is null)
        {
            return (PusherCloseCodes.AppDoesNotExist, $"App key {appKey} does not exist.");
        }

        if (!app.Enabled)
        {
            return (PusherCloseCodes.AppDisabled, "The app is not enabled.");
        }

        var protocol = context.Request.Query["protocol"];
        if (protocol.Count > 0)
        {
            if (!int.TryParse(protocol[0], out var version))
            {
                return (PusherCloseCodes.InvalidVersionFormat, "Invalid version string format.");
            }

            if (version is < LowestProtocol or > HighestProtocol)
            {
                return (PusherCloseCodes.UnsupportedProtocolVersion, $"Unsupported protocol version {version}; supported: {LowestProtocol} to {HighestProtocol}.");
            }
        }

        if (!OriginPolicy.Allows(app.AllowedOrigins, context.Request.Headers.Origin))
        {
            return (PusherCloseCodes.Unauthorized, "The origin is not allowed to connect to this app.");
        }

        return null;
    }

    private static async Task Refuse(WebSocket webSocket, int code, string message, CancellationToken aborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(RefusalTimeout);
        try
        {
            await webSocket.SendAsync(PusherFrame.Error(code, message), WebSocketMessageType.Text, true, timeout.Token);
            await webSocket.CloseOutputAsync((WebSocketCloseStatus)code, message, timeout.Token);
            var drain = new byte[256];
            while ((await webSocket.ReceiveAsync(drain, timeout.Token)).MessageType != WebSocketMessageType.Close)
            {
                // wait for the client's close
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away or never answered: nothing more to tell it.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the connection quota of app {AppId} failed")]
    private static partial void LogAdmissionFailed(ILogger logger, Exception exception, string appId);
}
