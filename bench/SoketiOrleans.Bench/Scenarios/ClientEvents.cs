using System.Diagnostics;
using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// Pairs of sockets on a private channel playing ping-pong with client events: each receipt triggers the
/// reply, so every pair always has exactly one event in flight. Each event carries its own sender's
/// timestamp, so the latency is one-way in both directions. Given a <c>--rate</c> (messages a second), the
/// pairs do not reply: the events are sent at that pace, pair after pair, each side in turn.
/// </summary>
public static class ClientEvents
{
    public static readonly SizeOption Pairs = new("pairs", 250, 25);

    public static async Task<Result> RunAsync(RunContext context, ScenarioSizes sizes)
    {
        var pairs = sizes[Pairs];
        var rate = sizes[Paced.Rate];
        using var window = context.NewWindow();
        var deliveries = new Deliveries(window, context.Errors);
        // Socket 2p is side A of pair p, socket 2p + 1 side B.
        var events = Enumerable.Range(0, pairs)
            .Select(p => new TimestampedBytes($$"""{"event":"client-x","channel":"{{Channel(p)}}","data":"TIMESTAMP"}"""))
            .ToArray();
        var subscribed = new PusherConnection?[2 * pairs];

        FrameHandler ReplyFor(int socket) => (connection, kind, frame) =>
        {
            if (kind != FrameKind.Event)
                return;
            deliveries.Received(frame);
            if (rate == 0 && !window.Stopping.IsCancellationRequested)
                connection.Send(events[socket / 2].With(Stopwatch.GetTimestamp()));
        };

        var sockets = await Sockets.OpenAsync(context, Enumerable.Range(0, 2 * pairs), ReplyFor, async (socket, connection) =>
        {
            var channel = Channel(socket / 2);
            if (await connection.SubscribeAsync(OutgoingFrames.Subscribe(channel, context.Auth.Private(connection.SocketId, channel))))
                subscribed[socket] = connection;
        });

        var measuring = window.RunAsync();
        if (rate > 0)
        {
            await Paced.RunAsync(rate, window, n =>
            {
                var pair = (int)(n % pairs);
                if (subscribed[2 * pair + (int)(n / pairs % 2)] is { } sender)
                    sender.Send(events[pair].With(Stopwatch.GetTimestamp()));
            });
        }
        else
        {
            for (var p = 0; p < pairs; p++)
            {
                // A pair that lost a side was reported as an error already; it just does not play.
                if (subscribed[2 * p] is { } a && subscribed[2 * p + 1] is not null)
                    a.Send(events[p].With(Stopwatch.GetTimestamp()));
            }
        }
        var usage = await measuring;
        await Sockets.CloseAsync(sockets);

        return deliveries.AddTo(new Result("client-events"), "messages_per_s", usage.Wall).Cpu(usage);
    }

    private static string Channel(int pair) => $"private-bench-{pair}";
}
