using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SoketiOrleans.Silo.Redis;

/// <summary>
/// Orleans' Redis membership table, made to survive a Redis that comes back empty (restarted
/// without persistence, or flushed). Orleans cannot read a table without its version row, and a silo
/// that finds itself missing from a table whose version moved on stops its process. So when this
/// silo reads the table and finds the version, its own row or the row of a silo it last read as
/// active gone, it writes them back first: the version no lower than the highest it has seen
/// (Orleans ignores older tables), then its own last entry and the others' last read ones. The
/// others' matter as much as its own: a silo whose view loses a live one takes it for dead, and its
/// grain directory drops that silo's activations, so a grain would be activated a second time
/// beside the one still running there. An active row never leaves the table otherwise (a silo is
/// declared dead before its row is cleaned up), and one written back for a silo that died during
/// the outage is declared dead again by the probes.
/// </summary>
internal sealed partial class RestoringMembershipTable(
    IMembershipTable inner, RedisKey key, IDatabase redis, SiloAddress self, ILogger<RestoringMembershipTable> logger) : IMembershipTable
{
    private const string VersionField = "Version";

    private MembershipEntry? _own;
    private int _highestVersion;

    /// <summary>The other silos this silo last read as active.</summary>
    private MembershipEntry[] _othersActive = [];

    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        MembershipTableData? data = null;
        try
        {
            data = await inner.ReadAllAsync(cancellationToken);
        }
        catch (Exception e) when (e is Orleans.Clustering.Redis.RedisClusteringException && _own is not null)
        {
            // The version row is gone: the table was lost.
        }

        if (Lost(data) is { Count: > 0 } lost)
        {
            await Restore(lost, cancellationToken);
            data = await inner.ReadAllAsync(cancellationToken);
        }

        _highestVersion = Math.Max(_highestVersion, data!.Version.Version);
        _othersActive = data.Members.Select(m => m.Item1).Where(e => e.Status == SiloStatus.Active && !e.SiloAddress.Equals(self)).ToArray();
        return data;
    }

    /// <summary>The entries to write back: this silo's own first, once it is active, then the other active silos' missing from <paramref name="data"/>.</summary>
    private List<MembershipEntry> Lost(MembershipTableData? data)
    {
        var present = data?.Members.Select(m => m.Item1.SiloAddress).ToHashSet() ?? [];
        var lost = new List<MembershipEntry>();
        if (_own is { Status: SiloStatus.Active } own && !present.Contains(self))
        {
            lost.Add(own);
        }

        lost.AddRange(_othersActive.Where(e => !present.Contains(e.SiloAddress)));
        return lost;
    }

    private async Task Restore(List<MembershipEntry> lost, CancellationToken cancellationToken)
    {
        LogRestoring(logger, string.Join(", ", lost.Select(e => e.SiloAddress)), self.ToString(), _highestVersion);
        await redis.HashSetAsync(key, VersionField, _highestVersion.ToString(CultureInfo.InvariantCulture), When.NotExists);
        foreach (var entry in lost)
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var data = await inner.ReadAllAsync(cancellationToken);
                if (data.Members.Any(m => m.Item1.SiloAddress.Equals(entry.SiloAddress))
                    || await inner.InsertRowAsync(entry, data.Version.Next(), cancellationToken))
                {
                    break;
                }
            }
        }
    }

    public async Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken = default)
    {
        var inserted = await inner.InsertRowAsync(entry, tableVersion, cancellationToken);
        Remember(entry, inserted);
        return inserted;
    }

    public async Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken = default)
    {
        var updated = await inner.UpdateRowAsync(entry, etag, tableVersion, cancellationToken);
        Remember(entry, updated);
        return updated;
    }

    public async Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken = default)
    {
        await inner.UpdateIAmAliveAsync(entry, cancellationToken);
        if (_own is not null && entry.SiloAddress.Equals(self))
        {
            _own.IAmAliveTime = entry.IAmAliveTime;
        }
    }

    public Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken = default) =>
        inner.InitializeMembershipTableAsync(tryInitTableVersion, cancellationToken);

    public Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken = default) =>
        inner.DeleteMembershipTableEntriesAsync(clusterId, cancellationToken);

    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken = default) =>
        inner.CleanupDefunctSiloEntriesAsync(beforeDate, cancellationToken);

    public Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken = default) =>
#pragma warning disable CS0618 // Orleans still declares it; the Redis table refuses it
        inner.ReadRowAsync(key, cancellationToken);
#pragma warning restore CS0618

    // Orleans 10 calls the *Async methods; the older ones remain abstract members of the interface.
#pragma warning disable CS0618
    Task IMembershipTable.InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion);

    Task IMembershipTable.DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId);

    Task IMembershipTable.CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate);

    Task<MembershipTableData> IMembershipTable.ReadRow(SiloAddress key) => ReadRowAsync(key);

    Task<MembershipTableData> IMembershipTable.ReadAll() => ReadAllAsync();

    Task<bool> IMembershipTable.InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion);

    Task<bool> IMembershipTable.UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion);

    Task IMembershipTable.UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry);
#pragma warning restore CS0618

    private void Remember(MembershipEntry entry, bool written)
    {
        if (written && entry.SiloAddress.Equals(self))
        {
            _own = entry;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The membership table in Redis lost the entries of {Silos}; silo {Silo} writes them back (table version at least {Version})")]
    private static partial void LogRestoring(ILogger logger, string silos, string silo, int version);
}
