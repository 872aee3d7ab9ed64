using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Webhooks;

/// <summary>Events taken from the queue for one destination, in the order they were raised.</summary>
public sealed record WebhookBatch(WebhookDestination Destination, IReadOnlyList<WebhookEvent> Events);
