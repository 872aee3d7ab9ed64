using Microsoft.Extensions.Hosting;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.Hosting;

/// <summary>
/// On shutdown, before the web server drains: <c>/ready</c> turns 503, new sockets are refused and
/// every open socket gets <c>pusher:error</c> 4200 and close 4200, so pusher-js reconnects at once
/// (elsewhere, behind a load balancer). The listener stays open until every socket has left its
/// channels: the web server only stops after all <see cref="IHostedLifecycleService.StoppingAsync"/>
/// calls, and the webhook queue drains in one of them, so a load balancer keeps seeing the 503
/// for as long as the process is draining rather than a refused connection.
/// </summary>
public sealed class GatewayLifecycle(IHostApplicationLifetime lifetime, SocketRegistry sockets) : IHostedLifecycleService
{
    public const string ClosingMessage = "Server is shutting down. Please reconnect shortly.";

    private static readonly TimeSpan SocketsGonePoll = TimeSpan.FromMilliseconds(20);

    private int _closing;

    public bool IsClosing => Volatile.Read(ref _closing) == 1;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(BeginClosing);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        BeginClosing();
        // Each socket leaves its channels before it leaves the registry, so once it is empty every
        // departure (and the webhooks it causes) has reached the cluster.
        while (sockets.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(SocketsGonePoll, CancellationToken.None);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void BeginClosing()
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return;
        }

        var error = PusherFrame.Error(PusherCloseCodes.ReconnectImmediately, ClosingMessage);
        foreach (var socket in sockets.All)
        {
            socket.Send(error);
            socket.Close(PusherCloseCodes.ReconnectImmediately, ClosingMessage);
        }
    }
}
