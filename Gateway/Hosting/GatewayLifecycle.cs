using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.Hosting;

/// <summary>
/// The drain on shutdown, before the web server stops: <c>/ready</c> turns 503 at once and new
/// sockets are told 4200; after <see cref="DrainOptions.Delay"/> (for load balancers to notice),
/// every open socket gets <c>pusher:error</c> 4200 and close 4200, in a random order spread evenly
/// over <see cref="DrainOptions.Spread"/>, so the clients' reconnects reach the other nodes as a
/// stream rather than a storm. The listener stays open until every socket has left its channels:
/// the web server only stops after all <see cref="IHostedLifecycleService.StoppingAsync"/> calls,
/// and the webhook queue drains in one of them, so a load balancer keeps seeing the 503 for as long
/// as the process is draining rather than a refused connection.
/// </summary>
public sealed partial class GatewayLifecycle(
    IHostApplicationLifetime lifetime, SocketRegistry sockets, GatewayOptions options, ILogger<GatewayLifecycle> logger) : IHostedLifecycleService
{
    public const string ClosingMessage = "Server is shutting down. Please reconnect shortly.";

    private static readonly TimeSpan SocketsGonePoll = TimeSpan.FromMilliseconds(20);

    /// <summary>How often a batch of sockets is told to go while the drain is spread.</summary>
    private static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(50);

    private static readonly byte[] ClosingError = PusherFrame.Error(PusherCloseCodes.ReconnectImmediately, ClosingMessage);

    private int _closing;

    public bool IsClosing => Volatile.Read(ref _closing) == 1;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() => Volatile.Write(ref _closing, 1));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _closing, 1);
        var drain = options.Drain;
        LogDraining(logger, sockets.Count, (long)drain.Delay.TotalMilliseconds, (long)drain.Spread.TotalMilliseconds);
        try
        {
            await Task.Delay(drain.Delay, cancellationToken);
            await CloseSpread(drain.Spread, cancellationToken);
            // Each socket leaves its channels before it leaves the registry, so once it is empty every
            // departure (and the webhooks it causes) has reached the cluster.
            while (sockets.Count > 0)
            {
                await Task.Delay(SocketsGonePoll, cancellationToken);
            }

            LogDrained(logger);
        }
        catch (OperationCanceledException)
        {
            LogDrainCutShort(logger, sockets.Count);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Tells the sockets open now to go, in a shuffled order, a share of them every batch interval
    /// so that the last ones go when <paramref name="spread"/> ends. Sockets that arrive meanwhile
    /// are refused with 4200 as they connect.
    /// </summary>
    private async Task CloseSpread(TimeSpan spread, CancellationToken cancellationToken)
    {
        var all = sockets.All.ToArray();
        Random.Shared.Shuffle(all);
        var started = Stopwatch.GetTimestamp();
        var told = 0;
        while (told < all.Length)
        {
            var share = spread <= TimeSpan.Zero ? 1 : Math.Min(1, Stopwatch.GetElapsedTime(started) / spread);
            var due = Math.Max(told + 1, (int)Math.Ceiling(all.Length * share));
            LogBatch(logger, due - told, all.Length - due);
            for (; told < due; told++)
            {
                all[told].Send(ClosingError);
                all[told].Close(PusherCloseCodes.ReconnectImmediately, ClosingMessage);
            }

            if (told < all.Length)
            {
                await Task.Delay(BatchInterval, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: /ready answers 503; {SocketCount} sockets will be told 4200 after {DelayMs} ms, spread over {SpreadMs} ms")]
    private static partial void LogDraining(ILogger logger, int socketCount, long delayMs, long spreadMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Draining: told {BatchSize} sockets to reconnect elsewhere; {Remaining} to go")]
    private static partial void LogBatch(ILogger logger, int batchSize, int remaining);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Draining: every socket has left its channels")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draining: the shutdown timeout ended the drain with {SocketCount} sockets still open")]
    private static partial void LogDrainCutShort(ILogger logger, int socketCount);
}
