using System.Net;
using DotNext.Net.Cluster.Consensus.Raft;

namespace SoketiOrleans.Silo.Cluster;

/// <summary>
/// Orleans' membership table in <c>cluster</c> mode, replicated by Raft: writes go to the leader
/// (directly, or over its command port) and count once a majority of nodes holds them; reads are
/// this node's copy once it has caught up with the leader. A node that cannot reach a majority can
/// neither write nor read, so it never acts on a table the others have moved past; it ends its
/// incarnation instead (<see cref="ClusterFormation"/>).
/// </summary>
internal sealed class RaftMembershipTable(ClusterFormation formation, RaftNode raft, LeaderChannel channel, UdpDiscovery discovery, ClusterRejoin rejoin) : IMembershipTable
{
    /// <summary>A leader election takes a fraction of this; past it Orleans sees the error and retries.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    public Task InitializeMembershipTable(bool tryInitTableVersion) => formation.Joined;

    public Task DeleteMembershipTableEntries(string clusterId) => Write(new TableCommand(Guid.NewGuid(), TableCommandKind.DeleteAll));

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) =>
        Write(new TableCommand(Guid.NewGuid(), TableCommandKind.CleanupDefunct, Before: beforeDate));

    public async Task<MembershipTableData> ReadRow(SiloAddress key)
    {
        await CaughtUp();
        return raft.Table.Read(t => t.Read(key));
    }

    public async Task<MembershipTableData> ReadAll()
    {
        await CaughtUp();
        return raft.Table.Read(t => t.ReadAll());
    }

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) =>
        Write(new TableCommand(Guid.NewGuid(), TableCommandKind.Insert, entry, Version: tableVersion));

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) =>
        Write(new TableCommand(Guid.NewGuid(), TableCommandKind.Update, entry, etag, tableVersion));

    public Task UpdateIAmAlive(MembershipEntry entry) => Write(new TableCommand(Guid.NewGuid(), TableCommandKind.IAmAlive, entry));

    private async Task CaughtUp()
    {
        if (rejoin.Reason is not null)
        {
            return;
        }

        using var patience = new CancellationTokenSource(Patience);
        try
        {
            await raft.Barrier(patience.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The membership table cannot be read: no majority of the cluster's nodes is reachable.");
        }
    }

    private async Task<bool> Write(TableCommand command)
    {
        if (rejoin.Reason is not null)
        {
            // This node is ending its incarnation, cut off from the majority (or leaving a smaller
            // cluster): its silo's last writes (shutting down, dead) are taken as done, so that it
            // stops at once. The majority declares the silo dead on its own; the node comes back as
            // a new one.
            return true;
        }

        using var patience = new CancellationTokenSource(Patience);
        var token = patience.Token;
        byte[]? body = null;
        try
        {
            while (true)
            {
                if (raft.IsLeader)
                {
                    try
                    {
                        return await raft.Propose(command, token);
                    }
                    catch (NotLeaderException)
                    {
                        // Lost the leadership meanwhile: the write goes to the next leader.
                    }
                }
                else if (discovery.CommandEndPointOf(raft.Leader) is { } leader)
                {
                    body ??= channel.Serialize(command);
                    try
                    {
                        switch (await channel.Send(leader, LeaderChannel.Request.Write, body, token))
                        {
                            case LeaderChannel.Answer.Done:
                                return true;
                            case LeaderChannel.Answer.Refused:
                                return false;
                        }
                    }
                    catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
                    {
                        // The leader just died or is cut off; a new one is elected within a second.
                    }
                }

                await Task.Delay(Pause, token);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The membership table cannot be written: no majority of the cluster's nodes is reachable.");
        }
    }
}
