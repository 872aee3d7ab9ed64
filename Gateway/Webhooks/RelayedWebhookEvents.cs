using Microsoft.Extensions.Logging;
using SoketiOrleans.Apps;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Gateway.Webhooks;

/// <summary>
/// A <c>server</c> process's webhooks: it sends none itself, but hands what it raises (client events)
/// to a silo. Whether an app wants an event is read from the apps it was configured with, so apps
/// without such webhooks cost no grain call.
/// </summary>
public sealed partial class RelayedWebhookEvents(IReadOnlyList<App> apps, IGrainFactory grains, ILogger<RelayedWebhookEvents> logger) : IWebhookEvents
{
    private readonly Dictionary<string, App> _apps = apps.ToDictionary(a => a.Id, StringComparer.Ordinal);

    public bool Wants(string appId, string eventName) =>
        _apps.TryGetValue(appId, out var app) && app.Webhooks.Any(w => w.EventTypes.Contains(eventName));

    public void Raise(string appId, WebhookEvent webhookEvent) => _ = Relay(appId, webhookEvent);

    private async Task Relay(string appId, WebhookEvent webhookEvent)
    {
        try
        {
            await grains.GetGrain<IWebhookRelayGrain>(0).Raise(appId, webhookEvent);
        }
        catch (Exception e)
        {
            LogRelayFailed(logger, e, webhookEvent.Name, appId, webhookEvent.Channel);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hand the {Event} webhook of app {AppId} on {Channel} to a silo; it is lost")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception, string @event, string appId, string channel);
}
