using SoketiOrleans.Apps;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Webhooks;

/// <summary>
/// One app's webhook entry: the unit of queueing, batching and sending. Batches never span two
/// destinations, so one app's events are never sent to, or signed for, another app.
/// </summary>
public sealed class WebhookDestination(App app, WebhookTarget target)
{
    public App App { get; } = app;

    public WebhookTarget Target { get; } = target;

    public override string ToString() => $"{App.Id} {Target.Url}";
}
