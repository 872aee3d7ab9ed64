using SoketiOrleans.Apps;

namespace SoketiOrleans.Grains.Webhooks;

/// <summary>Every app's webhook entries, made once at start-up (apps come from the config).</summary>
public sealed class WebhookDestinations(IReadOnlyList<App> apps)
{
    private readonly Dictionary<string, WebhookDestination[]> _byApp = apps.ToDictionary(
        a => a.Id,
        a => a.Webhooks.Select(t => new WebhookDestination(a, t)).ToArray(),
        StringComparer.Ordinal);

    public IEnumerable<WebhookDestination> All => _byApp.Values.SelectMany(d => d);

    public IReadOnlyList<WebhookDestination> For(string appId) => _byApp.GetValueOrDefault(appId) ?? [];
}
