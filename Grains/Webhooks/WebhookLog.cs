using Microsoft.Extensions.Logging;

namespace SoketiOrleans.Grains.Webhooks;

internal static partial class WebhookLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook for app {AppId} delivered to {Url} ({EventCount} events, attempt {Attempt})")]
    public static partial void Delivered(ILogger logger, string appId, Uri url, int eventCount, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook for app {AppId} to {Url} failed with {Status} (attempt {Attempt}); retrying in {Delay} ({Elapsed} since the first attempt)")]
    public static partial void Retrying(ILogger logger, string appId, Uri url, string status, int attempt, TimeSpan delay, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook for app {AppId} to {Url} refused with {Status}; not retried ({EventCount} events dropped)")]
    public static partial void Refused(ILogger logger, string appId, Uri url, string status, int eventCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook for app {AppId} to {Url} failed with {Status} after {Attempt} attempts over {Elapsed}; giving up ({EventCount} events dropped)")]
    public static partial void GaveUp(ILogger logger, string appId, Uri url, string status, int attempt, TimeSpan elapsed, int eventCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook queue for app {AppId} to {Url} is full; dropping events (first a {EventName}) until there is room")]
    public static partial void Dropping(ILogger logger, string appId, Uri url, string eventName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook queue for app {AppId} to {Url} takes events again; {Count} were dropped")]
    public static partial void StoppedDropping(ILogger logger, string appId, Uri url, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown grace period over with {Count} webhook events not delivered; they are dropped")]
    public static partial void Abandoned(ILogger logger, int count);
}
