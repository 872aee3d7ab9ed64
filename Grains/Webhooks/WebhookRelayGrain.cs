using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Webhooks;

/// <inheritdoc cref="IWebhookRelayGrain"/>
[StatelessWorker]
public sealed class WebhookRelayGrain(IWebhookEvents webhooks) : Grain, IWebhookRelayGrain
{
    public Task Raise(RelayedWebhook[] events)
    {
        foreach (var relayed in events)
        {
            webhooks.Raise(relayed.AppId, relayed.Event);
        }

        return Task.CompletedTask;
    }
}
