using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Webhooks;

/// <summary>
/// Logs a destination's full queue once when it starts dropping events and once, with the count,
/// when it takes events again: a receiver down for an hour (or a Redis outage) must not write a
/// log line per dropped event.
/// </summary>
internal sealed class WebhookOverflow(ILogger logger)
{
    private readonly ConcurrentDictionary<WebhookDestination, StrongBox<long>> _dropping = new();

    public void Dropped(WebhookDestination destination, string eventName)
    {
        var dropped = _dropping.GetOrAdd(destination, static _ => new StrongBox<long>());
        if (Interlocked.Increment(ref dropped.Value) == 1)
        {
            WebhookLog.Dropping(logger, destination.App.Id, destination.Target.Url, eventName);
        }
    }

    public void Accepted(WebhookDestination destination)
    {
        if (!_dropping.IsEmpty && _dropping.TryRemove(destination, out var dropped))
        {
            WebhookLog.StoppedDropping(logger, destination.App.Id, destination.Target.Url, Interlocked.Read(ref dropped.Value));
        }
    }
}
