using Microsoft.Extensions.Logging;

namespace SoketiOrleans.Grains.Webhooks;

/// <summary>
/// The single sender of one destination: takes a batch, delivers it (retrying with exponential
/// backoff) and only then takes the next, so events of a channel arrive in the order they were
/// raised. A slow or dead receiver holds up only its own destination.
/// </summary>
internal sealed class WebhookSender(
    WebhookDestination destination,
    IWebhookQueue queue,
    WebhookClient client,
    WebhookOptions options,
    WebhookMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Keeps a batched body to a size any receiver accepts.</summary>
    private const int MaxBatchEvents = 100;

    private string AppId => destination.App.Id;

    private Uri Url => destination.Target.Url;

    public async Task Run(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                var batch = options.BatchingEnabled
                    ? await queue.Take(destination, MaxBatchEvents, options.BatchingDuration, stopping)
                    : await queue.Take(destination, 1, TimeSpan.Zero, stopping);
                await Deliver(batch, stopping);
                await queue.Acknowledge(batch);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutdown; what is left unacknowledged was counted by the dispatcher.
        }
    }

    private async Task Deliver(WebhookBatch batch, CancellationToken stopping)
    {
        var body = WebhookBody.Create(batch.Events, time.GetUtcNow());
        var started = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            var result = await client.Post(destination, body, stopping);
            switch (result.Outcome)
            {
                case WebhookOutcome.Delivered:
                    metrics.Sent(AppId);
                    WebhookLog.Delivered(logger, AppId, Url, batch.Events.Count, attempt);
                    return;
                case WebhookOutcome.Refused:
                    metrics.Failed(AppId);
                    WebhookLog.Refused(logger, AppId, Url, result.Status, batch.Events.Count);
                    return;
            }

            var delay = options.RetryDelay(attempt);
            var elapsed = time.GetElapsedTime(started);
            if (elapsed + delay > options.GiveUpAfter)
            {
                metrics.Failed(AppId);
                WebhookLog.GaveUp(logger, AppId, Url, result.Status, attempt, elapsed, batch.Events.Count);
                return;
            }

            metrics.Retried(AppId);
            WebhookLog.Retrying(logger, AppId, Url, result.Status, attempt, delay, elapsed);
            await Task.Delay(delay, time, stopping);
        }
    }
}
