using System.Net;
using System.Net.Sockets;

namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// Ports for the servers, Redis nodes and receivers the tests start, picked outside the kernel's
/// ephemeral range (<c>ip_local_port_range</c>): a port from inside it, even one just found free, can
/// be taken as the source port of any outgoing connection before the process it is meant for binds
/// it (a server then fails to start with "Address already in use"). Handed out in turn from a random
/// start and each checked free, so one run does not hand out a port twice.
/// </summary>
public static class FreePort
{
    private const int Span = 12_000;

    private static readonly int First = FirstOutsideEphemeralRange();
    private static int _cursor = Random.Shared.Next(Span);

    public static int Next()
    {
        for (var tried = 0; tried < Span; tried++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _cursor) % Span);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free port in {First}-{First + Span - 1}");
    }

    /// <summary>Whether nothing listens on the loopback port now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Below the ephemeral range when there is room (Linux's default is 32768-60999), else above it.</summary>
    private static int FirstOutsideEphemeralRange()
    {
        var (low, high) = (32768, 60999);
        if (File.Exists("/proc/sys/net/ipv4/ip_local_port_range")
            && File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries) is [var l, var h])
        {
            (low, high) = (int.Parse(l), int.Parse(h));
        }

        return low - Span >= 1024 ? low - Span : high + 1 + Span <= 65536 ? high + 1 : throw new InvalidOperationException(
            $"the ephemeral range {low}-{high} leaves no {Span} ports outside it for tests");
    }
}
