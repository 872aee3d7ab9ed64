using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using SoketiOrleans.Silo;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Robustness;

/// <summary>
/// The open-file limit bounds a server's sockets. A client that opens sockets past it: a .NET process with no file
/// descriptor left aborts the next time it starts a thread, so connections beyond the limit less a
/// reserve are closed at once, and the server stays up for everyone else.
/// </summary>
public sealed class OpenFileLimitTests
{
    private const int Limit = 1100;

    [Fact]
    public async Task Sockets_past_the_open_file_limit_are_refused_and_the_server_keeps_serving()
    {
        await using var server = await ServerProcess.Start();
        SetOpenFileLimit(server.Pid, Limit);
        var cap = (int)ConnectionGuard.Cap(Limit);
        Assert.Equal(588, cap);

        var clients = new List<RawPusherClient>();
        var refused = 0;
        try
        {
            for (var i = 0; i < 1000; i++)
            {
                try
                {
                    clients.Add(await RawPusherClient.Connect(server.WebSocketUri()));
                }
                catch (WebSocketException)
                {
                    refused++;
                }
            }

            // The test's own HTTP connection from start-up may still be open and count.
            Assert.InRange(clients.Count, cap - 2, cap);
            Assert.Equal(1000 - clients.Count, refused);
            Assert.False(server.HasExited, server.Output);
            Assert.Contains($"Refusing new connections: {cap} are open, the most the open-file limit ({Limit}, ulimit -n) leaves room for", server.Output);

            foreach (var client in clients.Take(10))
            {
                await client.DisposeAsync();
            }

            clients.RemoveRange(0, 10);
            // Room comes back once the server has seen the ten go.
            var late = await Eventually.Get(() => TryConnect(server), c => c is not null, "a new socket to connect");
            clients.Add(late!);
            using var api = new PusherApi(server.HttpUri);
            Assert.Equal(200, (await api.Get("/channels")).Status);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// An HTTP connection counts for as long as it is open, whichever transport serves the port (on the
    /// event loops the guard runs before Kestrel, which gets only what is not a WebSocket, and counts the
    /// connection until Kestrel is done with it).
    /// </summary>
    [Theory]
    [InlineData("loop")]
    [InlineData("sockets")]
    public async Task Open_http_connections_count_against_the_open_file_limit(string transport)
    {
        await using var server = await ServerProcess.Start(new Dictionary<string, string> { ["SOKETI_TRANSPORT"] = transport });
        SetOpenFileLimit(server.Pid, Limit);
        var cap = (int)ConnectionGuard.Cap(Limit);
        var held = new List<Socket>();
        try
        {
            // Until one is refused: the start-up probe's connection may count for the first few.
            while (held.Count <= cap && await OpenHttp(server) is { } socket)
            {
                held.Add(socket);
            }

            Assert.InRange(held.Count, cap - 2, cap);
            Assert.Null(await TryConnect(server));

            foreach (var socket in held)
            {
                socket.Dispose();
            }

            held.Clear();
            var client = await Eventually.Get(() => TryConnect(server), c => c is not null, "a socket to connect once the HTTP connections closed");
            await client!.DisposeAsync();
        }
        finally
        {
            foreach (var socket in held)
            {
                socket.Dispose();
            }
        }
    }

    /// <returns>A connection kept open after <c>/ready</c> answered 200 on it; null when the server closed it unanswered.</returns>
    private static async Task<Socket?> OpenHttp(ServerProcess server)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync("127.0.0.1", server.Port);
            await socket.SendAsync("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            var buffer = new byte[1024];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                socket.Dispose();
                return null;
            }

            Assert.StartsWith("HTTP/1.1 200 OK\r\n", Encoding.ASCII.GetString(buffer, 0, read));
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>
    /// The runtime raises the soft limit to the hard one as it starts, so a service started with
    /// systemd's default (soft 1024, hard 524288) does not refuse sockets past 512 (the guard reads the soft one).
    /// </summary>
    [Fact]
    public async Task The_soft_open_file_limit_a_server_runs_with_is_its_hard_one()
    {
        await using var server = await ServerProcess.StartWithOpenFileLimit(soft: 2000, hard: 4000);
        var limits = (await File.ReadAllLinesAsync($"/proc/{server.Pid}/limits")).Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        Assert.Equal(["4000", "4000", "files"], limits["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static async Task<RawPusherClient?> TryConnect(ServerProcess server)
    {
        try
        {
            return await RawPusherClient.Connect(server.WebSocketUri());
        }
        catch (WebSocketException)
        {
            return null;
        }
    }

    private static void SetOpenFileLimit(int pid, int limit)
    {
        using var prlimit = Process.Start(new ProcessStartInfo("prlimit", ["--pid", pid.ToString(), $"--nofile={limit}:{limit}"]) { RedirectStandardError = true })!;
        prlimit.WaitForExit();
        Assert.True(prlimit.ExitCode == 0, prlimit.StandardError.ReadToEnd());
    }
}
