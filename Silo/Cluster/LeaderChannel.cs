using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using DotNext.Net.Cluster.Consensus.Raft;
using Orleans.Serialization;

namespace SoketiOrleans.Silo.Cluster;

/// <summary>
/// How a follower's writes reach the Raft leader (only a leader may append to the log): one short
/// TCP exchange per write on the leader's command port, signed with the cluster key. Membership
/// writes are rare (a silo's liveness every few seconds, status changes), so nothing is pooled.
/// </summary>
public sealed partial class LeaderChannel : IAsyncDisposable
{
    private const int MaxRequest = 64 * 1024;

    private readonly RaftNode _raft;
    private readonly ClusterKey _key;
    private readonly Serializer _serializer;
    private readonly ILogger _logger;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;

    public LeaderChannel(ClusterNode node, RaftNode raft, ClusterKey key, Serializer serializer, ILogger<LeaderChannel> logger)
    {
        _raft = raft;
        _key = key;
        _serializer = serializer;
        _logger = logger;
        _listener = new TcpListener(node.Listen, node.CommandPort);
    }

    public enum Answer : byte
    {
        Refused = 0,
        Done = 1,
        NotLeader = 2,
    }

    public enum Request : byte
    {
        Write = 1,
        Leave = 2,
    }

    public void Start()
    {
        _listener.Start();
        _accepting = Task.Run(Accept);
    }

    /// <summary>Sends one request to the leader's command port.</summary>
    public async Task<Answer> Send(IPEndPoint leader, Request request, byte[] body, CancellationToken token)
    {
        var message = new byte[body.Length + 1];
        message[0] = (byte)request;
        body.CopyTo(message, 1);
        var signed = _key.Signed(message);
        var frame = new byte[4 + signed.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, signed.Length);
        signed.CopyTo(frame, 4);

        using var client = new TcpClient(leader.AddressFamily) { NoDelay = true };
        await client.ConnectAsync(leader, token);
        var stream = client.GetStream();
        await stream.WriteAsync(frame, token);
        var answer = new byte[1];
        await stream.ReadExactlyAsync(answer, token);
        return (Answer)answer[0];
    }

    public byte[] Serialize(TableCommand command) => _serializer.SerializeToArray(command);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task Accept()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Serve(client);
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                var stream = client.GetStream();
                var header = new byte[4];
                await stream.ReadExactlyAsync(header, timeout.Token);
                var length = BinaryPrimitives.ReadInt32BigEndian(header);
                if (length is <= ClusterKey.TagSize or > MaxRequest)
                {
                    return;
                }

                var signed = new byte[length];
                await stream.ReadExactlyAsync(signed, timeout.Token);
                if (!_key.TryOpen(signed, out var message) || message.Length < 1)
                {
                    LogRefused(_logger, client.Client.RemoteEndPoint);
                    return;
                }

                var answer = await Handle((Request)message.Span[0], message[1..], timeout.Token);
                await stream.WriteAsync(new[] { (byte)answer }, timeout.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or EndOfStreamException)
            {
                // The follower sends again, or gives up and lets Orleans retry.
            }
        }
    }

    private async Task<Answer> Handle(Request request, ReadOnlyMemory<byte> body, CancellationToken token)
    {
        try
        {
            switch (request)
            {
                case Request.Write:
                    var command = _serializer.Deserialize<TableCommand>(body)!;
                    return await _raft.Propose(command, token) ? Answer.Done : Answer.Refused;
                case Request.Leave:
                    var member = IPEndPoint.Parse(System.Text.Encoding.UTF8.GetString(body.Span));
                    return await _raft.Remove(member, token) ? Answer.Done : Answer.Refused;
                default:
                    return Answer.Refused;
            }
        }
        catch (NotLeaderException)
        {
            return Answer.NotLeader;
        }
        catch (InvalidOperationException)
        {
            // DotNext: not a leader yet, or a membership change already under way.
            return Answer.NotLeader;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: refused a membership write from {Sender}: not signed with this cluster's secret")]
    private static partial void LogRefused(ILogger logger, EndPoint? sender);
}
