using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Gateway.Quotas;

namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// Kestrel connection middleware on the server's port: a connection that opens with a plain
/// WebSocket upgrade to <c>/app/{key}</c> (<see cref="UpgradeRequest"/>) is upgraded here and handed
/// to <see cref="WebSocketEndpoint"/>; every other connection goes on to HTTP untouched.
/// </summary>
internal sealed class WebSocketUpgrades(WebSocketEndpoint endpoint, ConnectsPerAddress connectsPerAddress, GatewayOptions options)
{
    /// <summary>Kestrel's own limit on how long a request's headers may take to arrive.</summary>
    private static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(30);

    private readonly byte[] _start = UpgradeRequest.Start(options.PathPrefix);

    /// <summary>As Kestrel connection middleware (with TLS, or without the event loops).</summary>
    public async Task OnConnection(ConnectionContext connection, ConnectionDelegate next) => await await Open(connection, next);

    /// <summary>
    /// Reads the connection's first request and opens its session, or hands it to <paramref name="next"/>.
    /// Completes with what runs the rest of the connection's life, so that no method stays suspended
    /// here for it (the event loops' listener awaits both).
    /// </summary>
    public async Task<Task> Open(ConnectionContext connection, ConnectionDelegate next)
    {
        var (request, passOn) = await ReadUpgrade(connection);
        if (request is null)
        {
            return passOn ? next(connection) : Task.CompletedTask;
        }

        (WebSocket? WebSocket, SocketSession? Session) opened;
        try
        {
            // The address is read only for a limit on it: on the event loops that is a system call.
            var address = connectsPerAddress.Limited ? (connection.RemoteEndPoint as IPEndPoint)?.Address : null;
            opened = await Handshakes.Run(() => endpoint.Open(request.AppKey, request.Protocol, request.Origin, address,
                Acceptor(request, connection)));
        }
        catch
        {
            connection.Abort();
            throw;
        }

        // A refused WebSocket is disposed already, and a session disposes its own when it ends: one
        // that was not closed with a completed handshake cuts its connection then (PipeWebSocket.Dispose);
        // after a completed one, the connection ends once what is queued is sent.
        return opened.Session?.Run(connection.ConnectionClosed) ?? Task.CompletedTask;
    }

    /// <summary>
    /// Answers the upgrade on the transport. Made here, not in <see cref="OnConnection"/>, so the
    /// request it holds is not kept for the connection's life.
    /// </summary>
    private static Func<Task<WebSocket>> Acceptor(UpgradeRequest request, ConnectionContext connection) => () =>
    {
        // Not flushed: it goes out in one send with the first frame, which every accepted
        // connection is sent at once (connection_established, or the refusal's error).
        request.WriteSwitchingProtocols(connection.Transport.Output);
        return Task.FromResult<WebSocket>(new PipeWebSocket(connection));
    };

    /// <returns>The upgrade request, consumed; or none, with nothing consumed for HTTP to read (pass on) or the connection cut.</returns>
    private async Task<(UpgradeRequest? Request, bool PassOn)> ReadUpgrade(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var timeout = new CancellationTokenSource(HeadersTimeout);
        while (true)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Headers that never finish: what Kestrel's own timeout would do, minus the 408.
                connection.Abort();
                return (null, false);
            }

            var buffer = read.Buffer;
            switch (UpgradeRequest.TryRead(buffer, _start, out var request, out var end))
            {
                case UpgradeRequest.Outcome.Upgrade:
                    input.AdvanceTo(end);
                    return (request, false);
                case UpgradeRequest.Outcome.NeedMore when !read.IsCompleted && !read.IsCanceled:
                    input.AdvanceTo(buffer.Start, buffer.End);
                    break;
                default:
                    input.AdvanceTo(buffer.Start);
                    return (null, true);
            }
        }
    }
}
