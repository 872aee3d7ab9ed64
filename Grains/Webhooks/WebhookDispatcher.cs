using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SoketiOrleans.Grains.Webhooks;

/// <summary>
/// Runs one <see cref="WebhookSender"/> per destination. On shutdown it lets them empty the queue
/// for up to the shutdown grace period, then stops them. The draining happens in
/// <see cref="StoppingAsync"/>, before any hosted service stops, so the web server keeps its
/// listener (and answers <c>/ready</c> with 503) while webhooks are still going out.
/// </summary>
public sealed class WebhookDispatcher(
    WebhookDestinations destinations,
    IWebhookQueue queue,
    WebhookClient client,
    WebhookOptions options,
    WebhookMetrics metrics,
    TimeProvider time,
    TimeSpan gracePeriod,
    ILogger<WebhookDispatcher> logger) : IHostedLifecycleService
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _senders = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var destination in destinations.All)
        {
            var sender = new WebhookSender(destination, queue, client, options, metrics, time, logger);
            _senders.Add(Task.Run(() => sender.Run(_stopping.Token), CancellationToken.None));
        }

        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp() + (long)(gracePeriod.TotalSeconds * time.TimestampFrequency);
        while (queue.Unacknowledged > 0 && time.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), time, CancellationToken.None);
        }

        if (queue.Unacknowledged is > 0 and var left)
        {
            WebhookLog.Abandoned(logger, left);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_senders);
        _stopping.Dispose();
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
