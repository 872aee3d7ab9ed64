using System.Diagnostics;
using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// Clients joining and leaving presence channels over and over while as many others stay subscribed and
/// watch them: the cost of a signed subscribe, the member list and the member_added/member_removed
/// broadcasts. The watchers are where member events are counted: a client that leaves at once does not
/// see much, and a server may net a leave and an immediate rejoin of the same user out.
/// </summary>
public static class Presence
{
    public static readonly SizeOption Clients = new("clients", 500, 50);
    public static readonly SizeOption Channels = new("channels", 10, 5);

    public static async Task<Result> RunAsync(RunContext context, ScenarioSizes sizes)
    {
        var channels = sizes[Channels];
        using var window = context.NewWindow();
        var subscribeLatencies = new Latencies();
        long subscribes = 0;
        long memberEvents = 0;

        void CountMembers(PusherConnection connection, FrameKind kind, ReadOnlySpan<byte> frame)
        {
            if (kind is FrameKind.MemberAdded or FrameKind.MemberRemoved && window.Measuring)
                Interlocked.Increment(ref memberEvents);
        }

        byte[] Subscribe(int client, PusherConnection connection) =>
            OutgoingFrames.SubscribePresence(context.Auth, connection.SocketId, $"presence-bench-{client % channels}", $"u{client}");

        bool IsWatcher(int client) => client / channels % 2 == 0;

        async Task JoinAndLeave(int client, PusherConnection connection)
        {
            var subscribe = Subscribe(client, connection);
            var unsubscribe = OutgoingFrames.Unsubscribe($"presence-bench-{client % channels}");
            try
            {
                while (!window.Stopping.IsCancellationRequested)
                {
                    var started = Stopwatch.GetTimestamp();
                    if (!await connection.SubscribeAsync(subscribe, window.Stopping))
                        return;
                    if (window.Measuring)
                    {
                        subscribeLatencies.RecordSince(started);
                        Interlocked.Increment(ref subscribes);
                    }
                    await connection.SendAsync(unsubscribe);
                }
            }
            catch (OperationCanceledException)
            {
                // The window closed while a subscribe was in flight.
            }
        }

        var clients = new List<(int Client, PusherConnection Connection)>();
        var sockets = await Sockets.OpenAsync(
            context, Enumerable.Range(0, sizes[Clients]), _ => CountMembers,
            (i, c) =>
            {
                lock (clients)
                    clients.Add((i, c));
                return Task.CompletedTask;
            });

        var watching = await Task.WhenAll(clients.Where(c => IsWatcher(c.Client))
            .Select(c => c.Connection.SubscribeAsync(Subscribe(c.Client, c.Connection), window.Stopping)));
        if (watching.Contains(false))
            throw new InvalidOperationException("a watcher could not subscribe");

        var measuring = window.RunAsync();
        await Task.WhenAll(clients.Where(c => !IsWatcher(c.Client)).Select(c => Task.Run(() => JoinAndLeave(c.Client, c.Connection))));
        var usage = await measuring;
        await Sockets.CloseAsync(sockets);

        return new Result("presence")
            .Rate("subscribes_per_s", subscribes, usage.Wall)
            .Rate("member_events_per_s", memberEvents, usage.Wall)
            .Percentiles("", subscribeLatencies)
            .Cpu(usage);
    }
}
