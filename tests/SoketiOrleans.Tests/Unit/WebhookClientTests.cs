using System.Net;
using System.Net.Sockets;
using System.Text;
using SoketiOrleans.Apps;
using SoketiOrleans.Grains.Webhooks;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Tests.Unit;

public sealed class WebhookClientTests
{
    /// <summary>
    /// The receiver here cuts off, unanswered, any request on a connection that already served one:
    /// what a receiver does when its keep-alive limit fires as the request arrives. A connection idle
    /// past the client's limit must not be used again, or that request arrives twice.
    /// </summary>
    [Fact]
    public async Task A_post_after_an_idle_spell_goes_on_a_new_connection_and_arrives_once()
    {
        await using var receiver = new OneRequestPerConnectionReceiver();
        var target = new WebhookTarget { Url = new Uri($"http://127.0.0.1:{receiver.Port}/hook"), EventTypes = new HashSet<string>(WebhookEventNames.All) };
        var destination = new WebhookDestination(new App { Id = "app-1", Key = "key", Secret = "secret", Webhooks = [target] }, target);
        using var client = new WebhookClient(WebhookOptions.Defaults);

        Assert.Equal(WebhookOutcome.Delivered, (await client.Post(destination, "{\"n\":1}"u8.ToArray(), CancellationToken.None)).Outcome);
        // The idle spell is what is tested: nothing to wait for but time. The pool drops idle
        // connections once a second; the margin covers a late timer on a loaded machine.
        await Task.Delay(WebhookClient.IdleConnectionLimit + TimeSpan.FromSeconds(3));
        Assert.Equal(WebhookOutcome.Delivered, (await client.Post(destination, "{\"n\":2}"u8.ToArray(), CancellationToken.None)).Outcome);

        Assert.Equal(["{\"n\":1}", "{\"n\":2}"], receiver.Bodies);
        Assert.Equal(2, receiver.Connections);
    }

    private sealed class OneRequestPerConnectionReceiver : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<string> _bodies = [];
        private readonly Task _loop;
        private int _connections;

        public OneRequestPerConnectionReceiver()
        {
            _listener.Start();
            _loop = Task.Run(Accept);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        public string[] Bodies
        {
            get
            {
                lock (_bodies)
                {
                    return [.. _bodies];
                }
            }
        }

        private async Task Accept()
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync();
                }
                catch (Exception)
                {
                    return; // stopped
                }

                Interlocked.Increment(ref _connections);
                _ = Task.Run(() => Serve(socket));
            }
        }

        private async Task Serve(Socket socket)
        {
            using var _ = socket;
            await using var stream = new NetworkStream(socket);
            for (var served = 0; ; served++)
            {
                if (await ReadBody(stream) is not { } body)
                {
                    return;
                }

                lock (_bodies)
                {
                    _bodies.Add(body);
                }

                if (served > 0)
                {
                    return; // read, then cut off unanswered
                }

                await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
            }
        }

        /// <returns>The request's body; null when the client closed the connection.</returns>
        private static async Task<string?> ReadBody(NetworkStream stream)
        {
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(one) == 0)
                {
                    return null;
                }

                head.Append((char)one[0]);
            }

            var length = head.ToString().Split("\r\n")
                .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                .Select(line => int.Parse(line["Content-Length:".Length..].Trim()))
                .Single();
            var body = new byte[length];
            await stream.ReadExactlyAsync(body);
            return Encoding.UTF8.GetString(body);
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _loop;
        }
    }
}
