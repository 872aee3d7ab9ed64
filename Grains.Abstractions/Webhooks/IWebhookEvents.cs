namespace SoketiOrleans.Webhooks;

/// <summary>
/// Where the single authority for an event (a channel or presence grain, or the gateway that relays
/// a client event) reports it, in its own process. Raising only enqueues: it never waits for a
/// receiver, so a slow webhook endpoint cannot hold up a grain.
/// </summary>
public interface IWebhookEvents
{
    /// <summary>
    /// Whether any webhook of the app takes events named <paramref name="eventName"/>: callers ask
    /// first, so apps without webhooks never pay for building the event.
    /// </summary>
    bool Wants(string appId, string eventName);

    void Raise(string appId, WebhookEvent webhookEvent);
}
