using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Apps;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Gateway.Webhooks;

/// <summary>
/// A <c>server</c> process's webhooks: it sends none itself, but hands what it raises (client events)
/// to a silo. Whether an app wants an event is read from the apps it was configured with, so apps
/// without such webhooks cost no grain call. Events go in the order they were raised: one call at a
/// time carries everything raised since the last one (separate calls to a stateless worker could be
/// queued on two silos in either order).
/// </summary>
public sealed partial class RelayedWebhookEvents(IReadOnlyList<App> apps, IGrainFactory grains, ILogger<RelayedWebhookEvents> logger) : IWebhookEvents
{
    private readonly Dictionary<string, App> _apps = apps.ToDictionary(a => a.Id, StringComparer.Ordinal);
    private readonly ConcurrentQueue<RelayedWebhook> _raised = new();
    private int _relaying;

    public bool Wants(string appId, string eventName) =>
        _apps.TryGetValue(appId, out var app) && app.Webhooks.Any(w => w.EventTypes.Contains(eventName));

    public void Raise(string appId, WebhookEvent webhookEvent)
    {
        _raised.Enqueue(new RelayedWebhook(appId, webhookEvent));
        if (Interlocked.Exchange(ref _relaying, 1) == 0)
        {
            _ = Relay();
        }
    }

    private async Task Relay()
    {
        while (true)
        {
            var batch = new List<RelayedWebhook>();
            while (_raised.TryDequeue(out var relayed))
            {
                batch.Add(relayed);
            }

            if (batch.Count > 0)
            {
                await Send([.. batch]);
                continue;
            }

            Volatile.Write(ref _relaying, 0);
            // An event raised after the queue was found empty but before the flag was down started no relay.
            if (_raised.IsEmpty || Interlocked.Exchange(ref _relaying, 1) != 0)
            {
                return;
            }
        }
    }

    private async Task Send(RelayedWebhook[] events)
    {
        try
        {
            await grains.GetGrain<IWebhookRelayGrain>(0).Raise(events);
        }
        catch (Exception e)
        {
            foreach (var relayed in events)
            {
                LogRelayFailed(logger, e, relayed.Event.Name, relayed.AppId, relayed.Event.Channel);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hand the {Event} webhook of app {AppId} on {Channel} to a silo; it is lost")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception, string @event, string appId, string channel);
}
