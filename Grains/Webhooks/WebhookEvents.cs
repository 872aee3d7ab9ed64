using Microsoft.Extensions.Logging;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Webhooks;

/// <summary>Queues a raised event for each of its app's webhooks that asks for it.</summary>
public sealed class WebhookEvents(WebhookDestinations destinations, IWebhookQueue queue, WebhookMetrics metrics, ILogger<WebhookEvents> logger)
    : IWebhookEvents
{
    private readonly WebhookOverflow _overflow = new(logger);

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
            if (!destination.Target.Accepts(webhookEvent))
            {
                continue;
            }

            if (queue.Enqueue(destination, webhookEvent))
            {
                _overflow.Accepted(destination);
            }
            else
            {
                metrics.Failed(appId);
                _overflow.Dropped(destination, webhookEvent.Name);
            }
        }
    }
}
