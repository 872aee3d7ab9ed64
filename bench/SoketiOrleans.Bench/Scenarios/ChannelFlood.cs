using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// A neighbour with one socket that subscribes to <c>--flood-channels</c> public channels as fast as the server
/// answers: 500 subscribes in one write, then their answers, and again. Its units are the subscribes answered;
/// the result says how many succeeded and how many were refused (the server caps channels per socket).
/// </summary>
public static class ChannelFlood
{
    public static readonly SizeOption Channels = new("flood-channels", 100_000, 10_000);
    public static readonly NeighbourLoad Load = new("channel-flood", Channels);

    // Answers outstanding at most: well under the server's bound on what it queues for a socket (1 MB).
    private const int FramesPerWrite = 500;

    public static async Task<Result> RunAsync(RunContext context, ScenarioSizes sizes)
    {
        var count = sizes[Channels];
        var start = context.Stats.Sample();
        using var socket = await RawPusherSocket.OpenAsync(context.Target, CancellationToken.None);
        int succeeded = 0, refused = 0;
        for (var sent = 0; sent < count && succeeded + refused == sent;)
        {
            var batch = Math.Min(FramesPerWrite, count - sent);
            await socket.SendAsync(Enumerable.Range(sent, batch)
                .SelectMany(i => RawPusherSocket.TextFrame(OutgoingFrames.Subscribe($"flood-{i}")))
                .ToArray(), CancellationToken.None);
            sent += batch;
            while (succeeded + refused < sent && await socket.ReceiveFrameAsync(CancellationToken.None) is { } frame)
            {
                switch (FrameScanner.Kind(frame.Payload.Span))
                {
                    case FrameKind.SubscriptionSucceeded:
                        succeeded++;
                        break;
                    case FrameKind.SubscriptionError:
                        refused++;
                        break;
                }
            }
        }
        var usage = context.Stats.Sample().Since(start);
        NeighbourLoad.Opened(succeeded + refused);
        await NeighbourLoad.Held();
        if (succeeded + refused < count)
            context.Errors.Report($"the server closed the socket after answering {succeeded + refused} of {count} subscribes");

        return new Result("channel-flood")
            .Add("subscribed", succeeded, 0)
            .Add("refused", refused, 0)
            .Cpu(usage);
    }
}
