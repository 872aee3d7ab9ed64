using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Webhooks;

/// <inheritdoc cref="IWebhookRelayGrain"/>
[StatelessWorker]
public sealed class WebhookRelayGrain(IWebhookEvents webhooks) : Grain, IWebhookRelayGrain
{
    public Task Raise(string appId, WebhookEvent webhookEvent)
    {
        webhooks.Raise(appId, webhookEvent);
        return Task.CompletedTask;
    }
}
