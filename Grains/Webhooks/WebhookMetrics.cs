using System.Diagnostics.Metrics;

namespace SoketiOrleans.Grains.Webhooks;

/// <summary>Webhook counters, tagged by app; the metrics endpoint exports them under its prefix (<c>soketi_webhooks_sent_total</c>).</summary>
public sealed class WebhookMetrics : IDisposable
{
    public const string MeterName = "SoketiOrleans.Webhooks";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;

    public WebhookMetrics()
    {
        _sent = _meter.CreateCounter<long>("webhooks_sent_total", description: "Webhook requests the receiver accepted (2xx).");
        _failed = _meter.CreateCounter<long>("webhooks_failed_total", description: "Webhook requests given up on: refused (4xx), out of retry time, or dropped from a full queue.");
        _retried = _meter.CreateCounter<long>("webhooks_retried_total", description: "Webhook attempts that failed and were scheduled again.");
    }

    public void Sent(string appId) => _sent.Add(1, new KeyValuePair<string, object?>("app_id", appId));

    public void Failed(string appId) => _failed.Add(1, new KeyValuePair<string, object?>("app_id", appId));

    public void Retried(string appId) => _retried.Add(1, new KeyValuePair<string, object?>("app_id", appId));

    public void Dispose() => _meter.Dispose();
}
