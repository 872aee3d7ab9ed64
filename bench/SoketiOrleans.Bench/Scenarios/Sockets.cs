using System.Collections.Concurrent;
using System.Diagnostics;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>Opening many sockets with a bounded number of handshakes in flight, and closing them all.</summary>
public static class Sockets
{
    public const int DefaultConcurrency = 100;

    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Opens one socket per index and runs <paramref name="prepare"/> on it (typically a subscribe) before the
    /// handshake slot is freed. A socket that fails to open is reported and left out.
    /// </summary>
    public static async Task<IReadOnlyCollection<PusherConnection>> OpenAsync(
        RunContext context,
        IEnumerable<int> indices,
        Func<int, FrameHandler> handlerFor,
        Func<int, PusherConnection, Task> prepare,
        int concurrency = DefaultConcurrency,
        Latencies? handshakes = null)
    {
        var opened = new ConcurrentBag<PusherConnection>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency };
        await Parallel.ForEachAsync(indices, parallel, async (index, cancellation) =>
        {
            var started = Stopwatch.GetTimestamp();
            PusherConnection connection;
            try
            {
                connection = await PusherConnection.OpenAsync(context, handlerFor(index), cancellation);
            }
            catch (Exception e)
            {
                context.Errors.Report($"socket {index} did not connect: {e.Message}");
                return;
            }
            handshakes?.RecordSince(started);
            opened.Add(connection);
            await prepare(index, connection);
        });
        return opened;
    }

    /// <summary>
    /// Like <see cref="OpenAsync"/> for loads that measure how much the server accepts: a socket that
    /// fails to open is left out without an error (the count says so); <paramref name="prepare"/>'s
    /// refused subscribes are still errors.
    /// </summary>
    public static async Task<List<PusherConnection>> OpenAcceptedAsync(
        RunContext context, int count, int concurrency, Func<int, PusherConnection, CancellationToken, Task> prepare, HttpMessageInvoker? invoker = null)
    {
        var opened = new List<PusherConnection>(count);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (index, cancellation) =>
        {
            PusherConnection connection;
            try
            {
                connection = await PusherConnection.OpenAsync(context, Ignore, cancellation, invoker);
            }
            catch (Exception)
            {
                return;
            }
            lock (opened)
                opened.Add(connection);
            await prepare(index, connection, cancellation);
        });
        return opened;
    }

    public static Task CloseAsync(IEnumerable<PusherConnection> connections) =>
        Task.WhenAll(connections.Select(c => c.CloseAsync(CloseTimeout)));

    public static void Ignore(PusherConnection connection, Frames.FrameKind kind, ReadOnlySpan<byte> frame)
    {
    }
}
