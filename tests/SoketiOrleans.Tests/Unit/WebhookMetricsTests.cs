using System.Diagnostics.Metrics;
using SoketiOrleans.Grains.Webhooks;

namespace SoketiOrleans.Tests.Unit;

public sealed class WebhookMetricsTests
{
    [Fact]
    public void Counters_carry_soketi_style_names_and_the_app_id()
    {
        var recorded = new List<(string Name, long Value, string? AppId)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == WebhookMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (recorded)
            {
                recorded.Add((instrument.Name, value, tags.ToArray().Single(t => t.Key == "app_id").Value as string));
            }
        });
        listener.Start();
        using var metrics = new WebhookMetrics();

        metrics.Sent("app-1");
        metrics.Retried("app-1");
        metrics.Failed("app-2");

        Assert.Equal(
            [("webhooks_sent_total", 1L, "app-1"), ("webhooks_retried_total", 1L, "app-1"), ("webhooks_failed_total", 1L, "app-2")],
            recorded);
    }
}
