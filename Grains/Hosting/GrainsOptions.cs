using SoketiOrleans.Apps;
using SoketiOrleans.Grains.Webhooks;

namespace SoketiOrleans.Grains.Hosting;

/// <summary>What the grains and the webhook senders of a silo take from the server's configuration.</summary>
/// <param name="ShutdownGracePeriod">How long a stopping silo keeps sending queued webhooks.</param>
public sealed record GrainsOptions(IReadOnlyList<App> Apps, WebhookOptions Webhooks, TimeSpan ShutdownGracePeriod);
