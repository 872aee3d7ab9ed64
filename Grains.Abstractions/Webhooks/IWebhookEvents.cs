namespace SoketiOrleans.Webhooks;

/// <summary>
/// Where the single authority for an event (a channel or presence grain, or the gateway that relays
/// a client event) reports it, in its own process. Raising only enqueues: it never waits for a
/// receiver, so a slow webhook endpoint cannot hold up a grain.
/// </summary>
public interface IWebhookEvents
{
    void Raise(string appId, WebhookEvent webhookEvent);
}
