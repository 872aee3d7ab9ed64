using System.Collections.Concurrent;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Tests.Grains;

/// <summary>
/// The webhook sink of every test silo. The silos of a TestCluster each build their own services,
/// so what they raise is collected in one place; tests tell their events apart by channel name.
/// </summary>
public sealed class RecordingWebhookEvents : IWebhookEvents
{
    private static readonly ConcurrentQueue<(string AppId, WebhookEvent Event)> Raised = new();

    public static IReadOnlyList<WebhookEvent> For(string appId, string channel) =>
        Raised.Where(r => r.AppId == appId && r.Event.Channel == channel).Select(r => r.Event).ToArray();

    public bool Wants(string appId, string eventName) => true;

    public void Raise(string appId, WebhookEvent webhookEvent) => Raised.Enqueue((appId, webhookEvent));
}
