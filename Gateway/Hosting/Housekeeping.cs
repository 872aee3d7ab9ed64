using Microsoft.Extensions.Hosting;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Quotas;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Gateway.Users;

namespace SoketiOrleans.Gateway.Hosting;

/// <summary>
/// A twice-a-second sweep: pings silent sockets and closes those that ignore the ping (Pusher's
/// activity check), closes sockets that had to sign in and did not in time, skips
/// channel-stream gaps that will never fill, and forgets addresses whose new-connection allowance is whole again.
/// </summary>
internal sealed class Housekeeping(SocketRegistry sockets, LocalChannelIndex channels, ConnectsPerAddress connects, GatewayOptions options)
    : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan GapPatience = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = Environment.TickCount64;
                foreach (var socket in sockets.All)
                {
                    socket.CheckActivity(now, options.WebSockets.ActivityTimeout, options.WebSockets.PongTimeout);
                    if (socket.SignInOverdue(now))
                    {
                        UserSignIns.Refuse(socket, SignInRefusal.TimedOut);
                    }
                }

                channels.SkipStaleGaps(GapPatience);
                connects.Sweep();
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
