using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Gateway.Quotas;
using SoketiOrleans.Gateway.WarmUp;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.HttpApi;

/// <summary>
/// The read endpoints. Answers come from the grains that own the state, so they count every
/// gateway without asking each one. Attributes are soketi's (<c>subscription_count</c> and
/// <c>occupied</c> always, <c>user_count</c> for presence) so soketi users see what they saw before;
/// Pusher's <c>info=cache</c> adds a cache channel's cached event.
/// </summary>
internal sealed partial class ChannelsEndpoints(
    GatewayApps apps, GatewayOptions options, ICluster cluster, RateLimits rateLimits, ILogger<ChannelsEndpoints> logger)
{
    public async Task List(HttpContext context, string appId)
    {
        if (await ApiRequest.Authenticate(context, apps, options, appId) is not { } request)
        {
            return;
        }

        var prefix = context.Request.Query["filter_by_prefix"].ToString();
        var info = ChannelInfo.Parse(context.Request.Query["info"].ToString());
        if (info.UserCount && !prefix.StartsWith("presence-", StringComparison.Ordinal))
        {
            await ApiResponses.Error(context, StatusCodes.Status400BadRequest, "info=user_count is only allowed with filter_by_prefix=presence-");
            return;
        }

        await Answer(context, request.App, async () =>
        {
            var channels = await ClusterRetry.Read(() => cluster.Channels(request.App.Id, prefix.Length > 0 ? prefix : null));
            return PusherFrame.Json((channels, info), static (w, s) =>
            {
                w.WriteStartObject();
                w.WriteStartObject("channels"u8);
                foreach (var channel in s.channels)
                {
                    w.WriteStartObject(channel.Name);
                    w.WriteNumber("subscription_count"u8, channel.SubscriptionCount);
                    w.WriteBoolean("occupied"u8, true);
                    if (s.info.UserCount)
                    {
                        w.WriteNumber("user_count"u8, channel.UserCount);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
                w.WriteEndObject();
            });
        });
    }

    public async Task Get(HttpContext context, string appId, string channelName)
    {
        if (await ApiRequest.Authenticate(context, apps, options, appId) is not { } request
            || !await CheckName(context, request.App, channelName))
        {
            return;
        }

        var info = ChannelInfo.Parse(context.Request.Query["info"].ToString());
        if (info.UserCount && !ChannelName.IsPresence(channelName))
        {
            await ApiResponses.Error(context, StatusCodes.Status400BadRequest, "info=user_count is only allowed for presence channels");
            return;
        }

        if (info.Cache && !CacheChannels.IsCache(channelName))
        {
            await ApiResponses.Error(context, StatusCodes.Status400BadRequest, "info=cache is only allowed for cache channels");
            return;
        }

        // soketi's attributes come whether asked for or not; cache only when asked.
        var wanted = info with { SubscriptionCount = true, UserCount = true };
        await Answer(context, request.App, async () =>
        {
            var attributes = await ChannelAttributes.Read(cluster, request.App.Id, channelName, wanted);
            return PusherFrame.Json(attributes, static (w, a) =>
            {
                w.WriteStartObject();
                w.WriteBoolean("occupied"u8, a.SubscriptionCount > 0);
                a.WriteProperties(w);
                w.WriteEndObject();
            });
        });
    }

    public async Task Users(HttpContext context, string appId, string channelName)
    {
        if (await ApiRequest.Authenticate(context, apps, options, appId) is not { } request
            || !await CheckName(context, request.App, channelName))
        {
            return;
        }

        if (!ChannelName.IsPresence(channelName))
        {
            await ApiResponses.Error(context, StatusCodes.Status400BadRequest, "The channel must be a presence channel.");
            return;
        }

        await Answer(context, request.App, async () =>
        {
            var ids = await ClusterRetry.Read(() => cluster.UserIds(ChannelKey.Format(request.App.Id, channelName)));
            return PusherFrame.Json(ids, static (w, users) =>
            {
                w.WriteStartObject();
                w.WriteStartArray("users"u8);
                foreach (var id in users)
                {
                    w.WriteStartObject();
                    w.WriteString("id"u8, id);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        });
    }

    private static async Task<bool> CheckName(HttpContext context, App app, string channelName)
    {
        if (channelName.Length <= app.MaxChannelNameLength && ChannelName.HasValidCharacters(channelName))
        {
            return true;
        }

        await ApiResponses.Error(context, StatusCodes.Status400BadRequest, $"The channel name \"{channelName}\" is not allowed.");
        return false;
    }

    private async Task Answer(HttpContext context, App app, Func<Task<byte[]>> read)
    {
        if (!await rateLimits.AllowRead(context, app))
        {
            return;
        }

        await ApiResponses.FromCluster(context, read, e => LogReadFailed(logger, e, app.Id));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading channels of app {AppId} failed")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string appId);
}
