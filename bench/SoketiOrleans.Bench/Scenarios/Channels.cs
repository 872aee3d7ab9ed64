using System.Globalization;
using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// Many channels with one subscriber each, fed by full batches: the per-channel routing cost rather than
/// the broadcast cost. A <c>--rate</c> is events a second, offered as batches at a fixed pace.
/// </summary>
public static class Channels
{
    public static readonly SizeOption Count = new("channels", 2000, 200);

    // The HTTP API's batch limit.
    private const int BatchSize = 10;

    public static async Task<Result> RunAsync(RunContext context, ScenarioSizes sizes)
    {
        var channels = sizes[Count];
        using var window = context.NewWindow();
        var deliveries = new Deliveries(window, context.Errors);
        var sockets = await Sockets.OpenAsync(
            context, Enumerable.Range(0, channels), _ => deliveries.OnFrame,
            (i, c) => c.SubscribeAsync(OutgoingFrames.Subscribe(ChannelName(i))));

        var measuring = window.RunAsync();
        await Publishers.RunAsync(sizes[Publishers.Count], (double)sizes[Paced.Rate] / BatchSize, window,
            (n, timestamp) => context.Api.TriggerBatchAsync(Batch(n * BatchSize % channels, channels, timestamp)));
        var usage = await measuring;
        await Sockets.CloseAsync(sockets);

        return deliveries.AddTo(new Result("channels"), "events_per_s", usage.Wall).Cpu(usage);
    }

    private static string ChannelName(long index) => $"bench-ch-{index}";

    /// <summary>One event to each of <see cref="BatchSize"/> consecutive channels, wrapping round.</summary>
    private static byte[] Batch(long first, int channels, long timestamp)
    {
        var data = timestamp.ToString(CultureInfo.InvariantCulture);
        return OutgoingFrames.JsonObject(w =>
        {
            w.WriteStartArray("batch");
            for (var k = 0; k < BatchSize; k++)
            {
                w.WriteStartObject();
                w.WriteString("name", "e");
                w.WriteString("channel", ChannelName((first + k) % channels));
                w.WriteString("data", data);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }
}
