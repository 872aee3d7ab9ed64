using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Gateway.HttpApi;
using SoketiOrleans.Gateway.Metrics;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Gateway.Quotas;
using SoketiOrleans.Gateway.Users;
using SoketiOrleans.Gateway.WarmUp;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// <c>GET /app/{key}</c>: admits a connection or refuses it the Pusher way, which is to accept the
/// upgrade, send <c>pusher:error</c> and close with the same code, so clients see why.
/// </summary>
internal sealed partial class WebSocketEndpoint(
    GatewayApps apps,
    SocketIds socketIds,
    SocketRegistry registry,
    ChannelSubscriptions subscriptions,
    ClientEvents clientEvents,
    UserSignIns users,
    ConnectionQuotas quotas,
    ConnectsPerAddress connectsPerAddress,
    GatewayLifecycle lifecycle,
    GatewayOptions options,
    GatewayMetrics metrics,
    ILogger<SocketSession> logger)
{
    private const int LowestProtocol = 4;
    private const int HighestProtocol = 7;
    private static readonly TimeSpan RefusalTimeout = TimeSpan.FromSeconds(2);
    private static RefusalFrameCache? s_lastRefusal;

    /// <summary>The routed path: an upgrade <see cref="WebSocketUpgrades"/> left to Kestrel, or a plain request.</summary>
    public async Task Handle(HttpContext context, string appKey)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ApiResponses.Error(context, StatusCodes.Status400BadRequest, "This endpoint only accepts WebSocket connections.");
            return;
        }

        var protocol = context.Request.Query["protocol"];
        var (_, session) = await Open(appKey, protocol.Count > 0 ? protocol[0] ?? "" : null, context.Request.Headers.Origin,
            context.Connection.RemoteIpAddress, () => context.WebSockets.AcceptWebSocketAsync());
        if (session is not null)
        {
            await session.Run(context.RequestAborted);
        }
    }

    /// <summary>
    /// Admits a connection, or refuses it and tells it why. Returns before the connection's life
    /// begins, so that what only admission needs is not kept for as long as the socket is open.
    /// </summary>
    /// <param name="protocol">The <c>protocol</c> query parameter, null when absent.</param>
    /// <param name="address">The client's address; null when it was not read, as it need not be while <see cref="ConnectsPerAddress.Limited"/> is false.</param>
    /// <param name="accept">Answers the upgrade: called once the connection is admitted or its refusal is known.</param>
    /// <returns>The accepted WebSocket (null when accepting failed), and the session to run (null when refused; the WebSocket is then disposed).</returns>
    public async Task<(WebSocket? WebSocket, SocketSession? Session)> Open(
        string appKey, string? protocol, StringValues origin, IPAddress? address, Func<Task<WebSocket>> accept)
    {
        var app = await apps.FindByKey(appKey);
        var refusal = Refusal(appKey, protocol, origin, address, app);
        var slot = ConnectionSlot.Unlimited;
        if (refusal is null)
        {
            (slot, refusal) = await Admit(app!);
        }

        WebSocket? webSocket = null;
        try
        {
            webSocket = await accept();
            if (refusal is { } r)
            {
                using (webSocket)
                {
                    await Refuse(webSocket, r.Code, r.Message);
                }

                return (webSocket, null);
            }

            var socket = new PusherSocket(socketIds.Next(), app!, webSocket, options.WebSockets.MaxBackpressureBytes, metrics.ForApp(app!.Id));
            if (app.EnableUserAuthentication)
            {
                socket.RequireSignInWithin(options.UserAuthenticationTimeout);
            }

            return (webSocket, new SocketSession(socket, webSocket, slot, (int)options.WebSockets.ActivityTimeout.TotalSeconds,
                subscriptions, clientEvents, users, registry, logger));
        }
        catch
        {
            // The session would have given these back when it ended.
            webSocket?.Dispose();
            slot.Dispose();
            throw;
        }
    }

    private async Task<(ConnectionSlot Slot, (int Code, string Message)? Refusal)> Admit(App app)
    {
        try
        {
            if (await quotas.TryAdmit(app) is { } slot)
            {
                return (slot, null);
            }

            metrics.ForApp(app.Id).ConnectionQuotaRejected();
            return (ConnectionSlot.Unlimited, (PusherCloseCodes.OverQuota, ConnectionQuotas.OverQuotaMessage));
        }
        catch (Exception e)
        {
            // The cluster could not count: the client should come back later (4100 backs off), not give up.
            LogAdmissionFailed(logger, e, app.Id);
            return (ConnectionSlot.Unlimited, (PusherCloseCodes.OverCapacity, "The connection quota could not be checked; try again later."));
        }
    }

    private (int Code, string Message)? Refusal(string appKey, string? protocol, StringValues origin, IPAddress? address, App? app)
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

        if (protocol is not null)
        {
            if (!int.TryParse(protocol, out var version))
            {
                return (PusherCloseCodes.InvalidVersionFormat, "Invalid version string format.");
            }

            if (version is < LowestProtocol or > HighestProtocol)
            {
                return (PusherCloseCodes.UnsupportedProtocolVersion, $"Unsupported protocol version {version}; supported: {LowestProtocol} to {HighestProtocol}.");
            }
        }

        if (!OriginPolicy.Allows(app.AllowedOrigins, origin))
        {
            return (PusherCloseCodes.Unauthorized, "The origin is not allowed to connect to this app.");
        }

        // The warm-up's sockets come from the gateway itself, 50 at once.
        if (!apps.IsWarmUp(app) && !connectsPerAddress.TryTake(address))
        {
            return (PusherCloseCodes.OverCapacity, ConnectsPerAddress.RefusalMessage);
        }

        return null;
    }

    /// <summary>
    /// Sends the refusal and closes, then waits for the client's close until it is gone (its input
    /// ends, as it does when the connection is cut) or the timeout: no link to the connection's
    /// closed token is needed, nor kept for every refused connection.
    /// </summary>
    private static async Task Refuse(WebSocket webSocket, int code, string message)
    {
        using var timeout = new CancellationTokenSource(RefusalTimeout);
        byte[]? drain = null;
        try
        {
            await webSocket.SendAsync(RefusalFrame(code, message), WebSocketMessageType.Text, true, timeout.Token);
            await webSocket.CloseOutputAsync((WebSocketCloseStatus)code, message, timeout.Token);
            // Until the client's close, or until it is gone: a flood's clients mostly cut the connection.
            while (webSocket is not PipeWebSocket pipe || pipe.InputArrived(await pipe.WaitForInputAsync(timeout.Token)))
            {
                // Rented once input is there: a flood keeps hundreds of refusals waiting, more than the pool holds.
                drain ??= ArrayPool<byte>.Shared.Rent(256);
                if ((await webSocket.ReceiveAsync(drain, timeout.Token)).MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away or never answered: nothing more to tell it.
        }
        finally
        {
            if (drain is not null)
            {
                ArrayPool<byte>.Shared.Return(drain);
            }
        }
    }

    /// <summary>The refusal's <c>pusher:error</c>: made once for a run of refusals alike (a flood's, refused for its address).</summary>
    private static byte[] RefusalFrame(int code, string message)
    {
        if (Volatile.Read(ref s_lastRefusal) is { } last && last.Code == code && last.Message == message)
        {
            return last.Frame;
        }

        var frame = PusherFrame.Error(code, message);
        Volatile.Write(ref s_lastRefusal, new RefusalFrameCache(code, message, frame));
        return frame;
    }

    private sealed record RefusalFrameCache(int Code, string Message, byte[] Frame);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the connection quota of app {AppId} failed")]
    private static partial void LogAdmissionFailed(ILogger logger, Exception exception, string appId);
}
