using System.Net;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo.Cluster;

/// <summary>
/// Turns what discovery hears into Raft membership. A new node joins the cluster it hears (its
/// leader adds it); when none is heard within <c>cluster.masterTimeout</c>, the oldest node that may
/// found one does, and the others join it. The leader adds the nodes that ask and removes those whose
/// silo the cluster declared dead (or that never got a silo and went silent). A node that loses
/// the majority for twice <c>cluster.nodeTimeout</c> stops serving and rejoins once it hears the cluster.
/// </summary>
internal sealed partial class ClusterFormation(
    ClusterNode node,
    DiscoveryOptions options,
    UdpDiscovery discovery,
    RaftNode raft,
    LeaderChannel channel,
    ClusterRejoin rejoin,
    IHostApplicationLifetime lifetime,
    ILogger<ClusterFormation> logger) : BackgroundService
{
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<EndPoint, long> _membersSince = [];
    private Guid? _cluster;
    private Guid? _joining;

    /// <summary>Completes once this node is a member of a cluster; Orleans' silo starts then.</summary>
    public Task Joined => _joined.Task;

    public Beacon Beacon() => new(
        node.Id, options.Prefix, node.StartedAt, node.Address.ToString(), node.RaftPort, node.CommandPort, node.SiloPort,
        _cluster, _joining, rejoin.MayFound && _cluster is null, raft.IsLeader);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (rejoin.Reason is null && raft.IsMember)
        {
            await Leave();
        }

        await discovery.DisposeAsync();
    }

    /// <summary>
    /// Returns once this node is a member of a cluster: the host starts the silo (registered after
    /// this service) and the gateway only then, so a node that waits for its cluster serves nothing.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        discovery.Start(Beacon);
        channel.Start();
        await Join(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Serve(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task Join(CancellationToken token)
    {
        var since = Environment.TickCount64;
        LogLooking(logger, options.Prefix, node.RaftEndPoint, rejoin.MayFound
            ? $"founding a cluster after {options.MasterTimeout.TotalMilliseconds} ms if none is heard"
            : "having been a member of a cluster, it only joins one");
        while (true)
        {
            var peers = discovery.Peers;
            if (Strongest(peers) is { } cluster)
            {
                if (!raft.Started)
                {
                    await raft.Start(found: false, token);
                }

                _joining = cluster;
                if (raft.IsMember)
                {
                    Became(cluster);
                    LogJoined(logger, cluster, raft.Members.Count, node.RaftEndPoint);
                    return;
                }
            }
            else if (raft.Started)
            {
                // The cluster this node waited to be added to is gone: start over.
                if (Environment.TickCount64 - since > options.MasterTimeout.TotalMilliseconds * 2)
                {
                    End("the cluster it was joining is no longer heard");
                    throw new OperationCanceledException(rejoin.Reason);
                }
            }
            else if (rejoin.MayFound && Environment.TickCount64 - since >= options.MasterTimeout.TotalMilliseconds && Eldest(peers))
            {
                await raft.Start(found: true, token);
                while (!raft.IsLeader)
                {
                    await Task.Delay(options.CheckInterval / 10, token);
                }

                Became(node.Id);
                LogFounded(logger, node.Id, node.RaftEndPoint);
                return;
            }

            await Task.Delay(options.CheckInterval, token);
        }
    }

    private void Became(Guid cluster)
    {
        _cluster = cluster;
        _joining = null;
        rejoin.Joined();
        _joined.TrySetResult();
    }

    private async Task Serve(CancellationToken token)
    {
        long? leaderlessSince = null;
        while (!token.IsCancellationRequested)
        {
            await Task.Delay(options.CheckInterval, token);
            var peers = discovery.Peers;
            if (raft.Leader is null)
            {
                leaderlessSince ??= Environment.TickCount64;
                // Twice the node timeout: an election after a leader's loss can take a few rounds on a
                // busy machine (seen at 2 s), and a node of the majority must not give up during it.
                var patience = 2 * options.NodeTimeout.TotalMilliseconds;
                if (Environment.TickCount64 - leaderlessSince > patience)
                {
                    LogLostMajority(logger, raft.Members.Count, patience);
                    End("no majority of the cluster's nodes is reachable");
                    return;
                }

                continue;
            }

            leaderlessSince = null;
            if (Strongest(peers) is { } other && other != _cluster)
            {
                LogMerging(logger, _cluster!.Value, other);
                End($"cluster {other} is larger (or as large and older)");
                return;
            }

            if (raft.IsLeader)
            {
                await Add(peers, token);
                await RemoveDeparted(peers, token);
            }
        }
    }

    /// <summary>
    /// The cluster this node should belong to: of the clusters heard with a leader (one without is a
    /// minority that admits nobody), the one most nodes are heard in, ties to the smaller id. This
    /// node's own counts with the members it has.
    /// </summary>
    private Guid? Strongest(IReadOnlyCollection<DiscoveredPeer> peers)
    {
        var heard = peers.Where(p => p.Beacon.Cluster is not null)
            .GroupBy(p => p.Beacon.Cluster!.Value)
            .Where(g => g.Key == _cluster || g.Any(p => p.Beacon.Leads))
            .Select(g => (Cluster: g.Key, Size: g.Count() + (g.Key == _cluster ? 1 : 0)));
        if (_cluster is { } own)
        {
            heard = heard.Append((own, Math.Max(raft.Members.Count, 1)));
        }

        return heard.OrderByDescending(c => c.Size).ThenBy(c => c.Cluster).Select(c => (Guid?)c.Cluster).FirstOrDefault();
    }

    private bool Eldest(IReadOnlyCollection<DiscoveredPeer> peers) =>
        peers.Where(p => p.Beacon.MayFound && p.Beacon.Cluster is null)
            .All(p => (p.Beacon.StartedAt, p.Beacon.Node).CompareTo((node.StartedAt, node.Id)) > 0);

    /// <summary>Adds the nodes asking to join. Whatever fails (DotNext's timeouts, an unreachable joiner, a change under way) is tried again at the next review.</summary>
    private async Task Add(IReadOnlyCollection<DiscoveredPeer> peers, CancellationToken token)
    {
        var members = raft.Members.ToHashSet();
        foreach (var joiner in peers.Where(p => p.Beacon.Joining == _cluster && !members.Contains(p.RaftEndPoint)))
        {
            // A joiner that stops answering mid catch-up must not hold up the next review (removals, the majority check).
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(token);
            patience.CancelAfter(2 * options.NodeTimeout);
            try
            {
                if (await raft.Add(joiner.RaftEndPoint, patience.Token))
                {
                    LogAdded(logger, joiner.RaftEndPoint);
                }
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                LogAddFailed(logger, joiner.RaftEndPoint, e.Message);
            }
        }
    }

    private async Task RemoveDeparted(IReadOnlyCollection<DiscoveredPeer> peers, CancellationToken token)
    {
        var entries = raft.Table.Read(t => t.Entries.Select(e => (e.SiloName, e.Status)).ToArray());
        var live = entries.Where(e => e.Status != SiloStatus.Dead).Select(e => e.SiloName).ToHashSet();
        var dead = entries.Where(e => e.Status == SiloStatus.Dead).Select(e => e.SiloName).ToHashSet();
        var heard = peers.Select(p => p.RaftEndPoint.ToString()).ToHashSet();
        var now = Environment.TickCount64;
        foreach (var member in raft.Members.Where(m => !m.Equals(node.RaftEndPoint)))
        {
            var name = member.ToString()!;
            var since = _membersSince.TryGetValue(member, out var s) ? s : _membersSince[member] = now;
            var silent = !heard.Contains(name) && now - since > 5 * options.NodeTimeout.TotalMilliseconds;
            if (live.Contains(name) || !(dead.Contains(name) || silent))
            {
                continue;
            }

            using var patience = CancellationTokenSource.CreateLinkedTokenSource(token);
            patience.CancelAfter(2 * options.NodeTimeout);
            try
            {
                if (await raft.Remove(member, patience.Token))
                {
                    _membersSince.Remove(member);
                    LogRemoved(logger, member, dead.Contains(name) ? "its silo is dead" : "it never started a silo and is not heard");
                }
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                LogRemoveFailed(logger, member, e.Message);
            }
        }
    }

    /// <summary>
    /// A stopping node leaves the Raft configuration so that the rest keep their majority (two nodes
    /// stay one after a rolling restart). A leader removes itself and waits until another node
    /// leads: one that stopped at once could leave the others without the change.
    /// </summary>
    private async Task Leave()
    {
        using var patience = new CancellationTokenSource(2 * options.NodeTimeout);
        try
        {
            bool left;
            if (raft.IsLeader)
            {
                // Stays up until another node leads: it is the one that tells the others about the change.
                left = await raft.Remove(node.RaftEndPoint, patience.Token);
                while (left && !discovery.Peers.Any(p => p.Beacon.Cluster == _cluster && p.Beacon.Leads))
                {
                    await Task.Delay(options.CheckInterval / 10, patience.Token);
                }
            }
            else
            {
                left = discovery.CommandEndPointOf(raft.Leader) is { } leader
                    && await channel.Send(leader, LeaderChannel.Request.Leave, System.Text.Encoding.UTF8.GetBytes(node.RaftEndPoint.ToString()), patience.Token)
                    == LeaderChannel.Answer.Done;
            }

            LogLeft(logger, node.RaftEndPoint, left ? "left the cluster" : "could not leave the cluster; its leader removes it once its silo is dead");
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            LogLeft(logger, node.RaftEndPoint, $"could not leave the cluster ({e.GetType().Name}); its leader removes it once its silo is dead");
        }
    }

    private void End(string reason)
    {
        if (rejoin.Request(reason))
        {
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: looking for nodes with prefix \"{Prefix}\" as {RaftEndPoint}; {Plan}")]
    private static partial void LogLooking(ILogger logger, string prefix, IPEndPoint raftEndPoint, string plan);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: joined cluster {Cluster} ({Members} nodes) as {RaftEndPoint}")]
    private static partial void LogJoined(ILogger logger, Guid cluster, int members, IPEndPoint raftEndPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: founded cluster {Cluster} as {RaftEndPoint}")]
    private static partial void LogFounded(ILogger logger, Guid cluster, IPEndPoint raftEndPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: added node {Member}")]
    private static partial void LogAdded(ILogger logger, EndPoint member);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: could not add node {Member} yet: {Reason}")]
    private static partial void LogAddFailed(ILogger logger, EndPoint member, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: removed node {Member} ({Why})")]
    private static partial void LogRemoved(ILogger logger, EndPoint member, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: could not remove node {Member} yet: {Reason}")]
    private static partial void LogRemoveFailed(ILogger logger, EndPoint member, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: node {RaftEndPoint} {Outcome}")]
    private static partial void LogLeft(ILogger logger, IPEndPoint raftEndPoint, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: no majority of the cluster's {Members} nodes reachable for {TimeoutMs} ms; this node admits no membership change, stops serving and rejoins when it hears the cluster again")]
    private static partial void LogLostMajority(ILogger logger, int members, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: this node's cluster {Own} meets cluster {Other}, which is larger (or as large and older); this node stops serving and joins it")]
    private static partial void LogMerging(ILogger logger, Guid own, Guid other);
}
