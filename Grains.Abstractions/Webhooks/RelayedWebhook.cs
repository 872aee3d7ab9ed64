namespace SoketiOrleans.Webhooks;

/// <summary>A webhook event a <c>server</c> process raised for an app, handed to a silo to be sent.</summary>
[GenerateSerializer, Immutable, Alias("so.RelayedWebhook")]
public sealed record RelayedWebhook([property: Id(0)] string AppId, [property: Id(1)] WebhookEvent Event);
