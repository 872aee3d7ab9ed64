using Orleans.Configuration;

namespace SoketiOrleans.Silo;

/// <summary>
/// How silos notice a dead one and take over from it, tuned for a realtime server: a process that
/// dies must leave the cluster (its sockets leave their channels, its grains move) within seconds,
/// not the minute the defaults allow. Each silo probes the others every second; three missed probes
/// make a silo suspect it, and two suspicions (or every other silo's, when fewer remain) declare it
/// dead. A killed process refuses connections at once, so it is declared dead in 2-3 s
/// (docs/recovery.md has the measured figures).
/// </summary>
internal static class Failover
{
    public static void Configure(ISiloBuilder silo)
    {
        // Orleans' default directory deactivates grains on the survivors whose directory entry the
        // dead silo held: a third of a three-silo cluster's state, gateway ledgers included, would go
        // with any silo. This one recovers those entries from the survivors instead (experimental in
        // Orleans 10, and the only directory that keeps single activation without that loss).
#pragma warning disable ORLEANSEXP003
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003

        // After a crash, the dead silo's directory range accepts no new activation until this lease
        // (counted from the estimated moment of death) has passed, in case the silo is only cut off
        // and still running them. A silo declared dead stops itself within about a second of
        // learning it; the default 30 s would keep a third of the channels unreachable that long.
        silo.Configure<GrainDirectoryOptions>(o => o.RangeLeaseDuration = TimeSpan.FromSeconds(5));
        silo.Configure<ClusterMembershipOptions>(Tune);
    }

    private static void Tune(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(1);
        o.NumMissedProbesLimit = 3;
        o.NumVotesForDeathDeclaration = 2;
        o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(20);
        o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
    }
}
