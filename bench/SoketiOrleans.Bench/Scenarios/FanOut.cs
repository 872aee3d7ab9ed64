using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// Many subscribers on one public channel, fed by HTTP publishers: the server's broadcast cost. A
/// <c>--rate</c> is deliveries a second, offered as publishes at a fixed pace.
/// </summary>
public static class FanOut
{
    public static readonly SizeOption Subscribers = new("subscribers", 1000, 100);

    private const string Channel = "bench-fanout";

    public static async Task<Result> RunAsync(RunContext context, ScenarioSizes sizes)
    {
        using var window = context.NewWindow();
        var deliveries = new Deliveries(window, context.Errors);
        var subscribe = OutgoingFrames.Subscribe(Channel);
        var subscribers = sizes[Subscribers];
        var sockets = await Sockets.OpenAsync(
            context, Enumerable.Range(0, subscribers), _ => deliveries.OnFrame, (_, c) => c.SubscribeAsync(subscribe));

        var body = new TimestampedBytes($$"""{"name":"e","channels":["{{Channel}}"],"data":"TIMESTAMP"}""");
        var measuring = window.RunAsync();
        var published = await Publishers.RunAsync(
            sizes[Publishers.Count], (double)sizes[Paced.Rate] / subscribers, window, (_, timestamp) => context.Api.TriggerAsync(body.With(timestamp)));
        var usage = await measuring;
        await Sockets.CloseAsync(sockets);

        return deliveries.AddTo(new Result("fanout"), "deliveries_per_s", usage.Wall)
            .Rate("publishes_per_s", published, usage.Wall)
            .Cpu(usage);
    }
}
