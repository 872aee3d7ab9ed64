using SoketiOrleans.Apps;
using SoketiOrleans.Grains.Webhooks;

namespace SoketiOrleans.Grains.Hosting;

/// <summary>What the grains and the webhook senders of a silo take from the server's configuration.</summary>
/// <param name="ShutdownGracePeriod">How long a stopping silo keeps sending queued webhooks.</param>
/// <param name="ClientGateways">
/// Whether gateways may run outside the silos (Orleans clients: <c>server</c> processes of the <c>redis</c>
/// mode): only then does a rebuilding grain look for them in the silos' rosters.
/// </param>
public sealed record GrainsOptions(IReadOnlyList<App> Apps, WebhookOptions Webhooks, TimeSpan ShutdownGracePeriod, bool ClientGateways = false);
