using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Gateway.HttpApi;
using SoketiOrleans.Gateway.WarmUp;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateway.Users;

/// <summary>
/// <c>POST /apps/{id}/users/{userId}/terminate_connections</c>: closes the user's signed-in sockets
/// on every gateway (sockets that never signed in are not the user's, as in Pusher and soketi).
/// </summary>
internal sealed partial class TerminateConnectionsEndpoint(GatewayApps apps, GatewayOptions options, ICluster cluster, ILogger<TerminateConnectionsEndpoint> logger)
{
    public async Task Terminate(HttpContext context, string appId, string userId)
    {
        if (await ApiRequest.Authenticate(context, apps, options, appId) is not { } request)
        {
            return;
        }

        try
        {
            await ClusterRetry.Run(() => cluster.TerminateUser(UserKey.Format(request.App.Id, userId)));
        }
        catch (ClusterUnavailableException e)
        {
            LogTerminateFailed(logger, e, request.App.Id, userId);
            await ApiResponses.Unavailable(context);
            return;
        }
        catch (Exception e)
        {
            LogTerminateFailed(logger, e, request.App.Id, userId);
            await ApiResponses.Error(context, StatusCodes.Status500InternalServerError, "A server error has occurred.");
            return;
        }

        await ApiResponses.Json(context, StatusCodes.Status200OK, ApiResponses.Ok);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Terminating the connections of user {UserId} of app {AppId} failed")]
    private static partial void LogTerminateFailed(ILogger logger, Exception exception, string appId, string userId);
}
