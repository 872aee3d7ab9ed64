using System.Net;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Orleans.Serialization;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo.Cluster;

/// <summary>
/// This node's Raft member (DotNext), which replicates the membership table among the nodes: a
/// write is committed once a majority holds it, so no single node is the table's keeper and a
/// minority cut off from the rest cannot change it. The log lives in a temporary directory for
/// one incarnation: a node that restarts joins as a new member.
/// </summary>
public sealed partial class RaftNode : IAsyncDisposable
{
    private readonly ClusterNode _node;
    private readonly DiscoveryOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly DirectoryInfo _directory;
    private readonly WriteAheadLog _log;
    private readonly Serializer _serializer;
    private RaftCluster? _raft;

    public RaftNode(ClusterNode node, DiscoveryOptions options, Serializer serializer, ILoggerFactory loggers)
    {
        _node = node;
        _options = options;
        _loggers = loggers;
        _serializer = serializer;
        _directory = Directory.CreateTempSubdirectory("soketi-raft-");
        Table = new MembershipStateMachine(_directory.CreateSubdirectory("table"), serializer);
        _log = new WriteAheadLog(new WriteAheadLog.Options { Location = _directory.CreateSubdirectory("log").FullName }, Table);
    }

    public MembershipStateMachine Table { get; }

    public bool Started => _raft is not null;

    public bool IsLeader => _raft is { } raft && !raft.LeadershipToken.IsCancellationRequested;

    public EndPoint? Leader => _raft?.Leader?.EndPoint;

    /// <summary>True once the cluster's configuration holds this node and it follows a leader.</summary>
    public bool IsMember => _raft is { Standby: false } raft && raft.Leader is not null && raft.Members.Any(m => !m.IsRemote);

    public IReadOnlyCollection<EndPoint> Members => _raft?.Members.Select(m => m.EndPoint).ToArray() ?? [];

    /// <param name="found">True to found a cluster of one; false to wait in standby until a leader adds this node.</param>
    public async Task Start(bool found, CancellationToken token)
    {
        // A leader silent for a quarter to a half of the node timeout is replaced.
        var lower = Math.Max(50, (int)(_options.NodeTimeout.TotalMilliseconds / 4));
        var configuration = new RaftCluster.TcpConfiguration(new IPEndPoint(_node.Listen, _node.RaftPort))
        {
            PublicEndPoint = _node.RaftEndPoint,
            ColdStart = found,
            LowerElectionTimeout = lower,
            UpperElectionTimeout = 2 * lower,
            RequestTimeout = TimeSpan.FromMilliseconds(lower),
            ConfigurationStorage = null!,
            LoggerFactory = _loggers,
        };
        var raft = new RaftCluster(configuration) { AuditTrail = _log };
        var logger = _loggers.CreateLogger<RaftNode>();
        raft.LeaderChanged += (_, leader) =>
        {
            if (leader is not null)
            {
                LogLeader(logger, leader.EndPoint, leader.IsRemote ? "another node" : "this node");
            }
        };
        await raft.StartAsync(token);
        _raft = raft;
    }

    /// <summary>Appends <paramref name="command"/> and waits until a majority holds it; leader only.</summary>
    /// <exception cref="NotLeaderException">This node is not (or no longer) the leader.</exception>
    public async Task<bool> Propose(TableCommand command, CancellationToken token)
    {
        var raft = _raft ?? throw new NotLeaderException();
        var outcome = Table.Outcome(command);
        try
        {
            await raft.ReplicateAsync(new BinaryLogEntry { Content = _serializer.SerializeToArray(command), Term = raft.Term }, token);
            return await outcome.WaitAsync(token);
        }
        finally
        {
            Table.Forget(command);
        }
    }

    /// <summary>Waits until this node has applied everything the leader had committed when called.</summary>
    public async Task Barrier(CancellationToken token)
    {
        var raft = _raft ?? throw new InvalidOperationException("This node has not joined a cluster yet.");
        await raft.ApplyReadBarrierAsync(ReadBarrierType.Weak, token);
    }

    public async Task Resign(CancellationToken token) => await ((DotNext.Net.Cluster.ICluster)_raft!).ResignAsync(token);

    public Task<bool> Add(EndPoint member, CancellationToken token) => _raft!.AddMemberAsync(member, token);

    public Task<bool> Remove(EndPoint member, CancellationToken token) => _raft!.RemoveMemberAsync(member, token);

    public async ValueTask DisposeAsync()
    {
        if (_raft is { } raft)
        {
            await raft.StopAsync(CancellationToken.None);
            await raft.DisposeAsync();
        }

        await _log.DisposeAsync();
        await Table.DisposeAsync();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left in the temporary directory.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: the leader is {Leader} ({Which})")]
    private static partial void LogLeader(ILogger logger, EndPoint leader, string which);
}
