using Microsoft.Extensions.Hosting;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.Hosting;

/// <summary>
/// On shutdown, before the web server drains: <c>/ready</c> turns 503, new sockets are refused and
/// every open socket gets <c>pusher:error</c> 4200 and close 4200, so pusher-js reconnects at once
/// (elsewhere, behind a load balancer).
/// </summary>
public sealed class GatewayLifecycle(IHostApplicationLifetime lifetime, SocketRegistry sockets) : IHostedService
{
    public const string ClosingMessage = "Server is shutting down. Please reconnect shortly.";

    private int _closing;

    public bool IsClosing => Volatile.Read(ref _closing) == 1;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(BeginClosing);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
