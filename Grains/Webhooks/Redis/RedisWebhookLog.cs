using Microsoft.Extensions.Logging;

namespace SoketiOrleans.Grains.Webhooks.Redis;

internal static partial class RedisWebhookLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook queue cannot reach Redis ({Reason}); raised events are kept in memory (up to {Capacity} per webhook) and written when Redis answers again")]
    public static partial void Unreachable(ILogger logger, string reason, int capacity, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook queue reaches Redis again, {Outage} after its first failed call")]
    public static partial void Reachable(ILogger logger, TimeSpan outage);

    [LoggerMessage(Level = LogLevel.Information, Message = "This node now sends the webhooks of app {AppId} to {Url}")]
    public static partial void LeaseTaken(ILogger logger, string appId, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another node took over the webhooks of app {AppId} to {Url}; this node stops sending them")]
    public static partial void LeaseLost(ILogger logger, string appId, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook queue entry {EntryId} of app {AppId} to {Url} cannot be read and is dropped")]
    public static partial void Unreadable(ILogger logger, string entryId, string appId, Uri url, Exception exception);
}
