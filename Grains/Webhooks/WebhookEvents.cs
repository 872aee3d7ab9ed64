using Microsoft.Extensions.Logging;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Webhooks;

/// <summary>Queues a raised event for each of its app's webhooks that asks for it.</summary>
public sealed class WebhookEvents(WebhookDestinations destinations, IWebhookQueue queue, WebhookMetrics metrics, ILogger<WebhookEvents> logger)
    : IWebhookEvents
{
    public bool Wants(string appId, string eventName)
    {
        foreach (var destination in destinations.For(appId))
        {
            if (destination.Target.EventTypes.Contains(eventName))
            {
                return true;
            }
        }

        return false;
    }

    public void Raise(string appId, WebhookEvent webhookEvent)
    {
        foreach (var destination in destinations.For(appId))
        {
            if (destination.Target.Accepts(webhookEvent) && !queue.Enqueue(destination, webhookEvent))
            {
                metrics.Failed(appId);
                WebhookLog.Dropped(logger, appId, destination.Target.Url, webhookEvent.Name);
            }
        }
    }
}
