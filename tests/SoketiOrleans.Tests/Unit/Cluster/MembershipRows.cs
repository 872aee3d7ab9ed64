using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization;
using SoketiOrleans.Silo.Cluster;

namespace SoketiOrleans.Tests.Unit.Cluster;

/// <summary>
/// Membership entries, commands and table snapshots for the cluster-mode tests, and the Orleans
/// serializer the Raft state machine uses (its codecs for Orleans' and SoketiOrleans.Silo's types).
/// </summary>
internal static class MembershipRows
{
    public static readonly DateTime Epoch = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static readonly ServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    public static Serializer Serializer { get; } = Services.GetRequiredService<Serializer>();

    /// <summary>What <see cref="MembershipStateMachine.Read{T}"/> hands each reader: a deserialized copy.</summary>
    public static T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!;

    public static SiloAddress SiloAt(int port, int generation = 1) =>
        SiloAddress.New(new IPEndPoint(IPAddress.Parse("10.0.0.1"), port), generation);

    public static MembershipEntry Entry(SiloAddress silo, SiloStatus status = SiloStatus.Joining, DateTime? started = null, DateTime? alive = null) => new()
    {
        SiloAddress = silo,
        Status = status,
        StartTime = started ?? Epoch,
        IAmAliveTime = alive ?? Epoch,
        SiloName = $"silo-{silo.Endpoint.Port}",
        HostName = "host-a",
        ProxyPort = silo.Endpoint.Port + 1000,
        RoleName = "SoketiOrleans.Silo",
        UpdateZone = 1,
        FaultZone = 2,
        SuspectTimes = [],
    };

    public static TableCommand Insert(MembershipEntry entry, int version, string versionETag) =>
        new(Guid.NewGuid(), TableCommandKind.Insert, entry, Version: new TableVersion(version, versionETag));

    public static TableCommand Update(MembershipEntry entry, string etag, int version, string versionETag) =>
        new(Guid.NewGuid(), TableCommandKind.Update, entry, etag, new TableVersion(version, versionETag));

    public static TableCommand IAmAlive(MembershipEntry entry) => new(Guid.NewGuid(), TableCommandKind.IAmAlive, entry);

    public static TableCommand Cleanup(DateTimeOffset before) => new(Guid.NewGuid(), TableCommandKind.CleanupDefunct, Before: before);

    public static TableCommand DeleteAll() => new(Guid.NewGuid(), TableCommandKind.DeleteAll);

    /// <summary>Every field of a row, with its etag, comparable by value.</summary>
    public sealed record Row(
        SiloAddress Silo, SiloStatus Status, DateTime StartTime, DateTime IAmAliveTime, string SiloName, string HostName,
        int ProxyPort, string? RoleName, int UpdateZone, int FaultZone, string Suspects, string ETag);

    public static Row RowOf(MembershipEntry entry, string etag) => new(
        entry.SiloAddress, entry.Status, entry.StartTime, entry.IAmAliveTime, entry.SiloName, entry.HostName,
        entry.ProxyPort, entry.RoleName, entry.UpdateZone, entry.FaultZone,
        entry.SuspectTimes is null ? "null" : string.Join(";", entry.SuspectTimes.Select(s => $"{s.Item1}@{s.Item2.ToString("O", CultureInfo.InvariantCulture)}")),
        etag);

    /// <summary>A table's rows (in silo order: Orleans gives the order no meaning) and its version.</summary>
    public sealed record Snapshot(Row[] Rows, int Version, string VersionETag)
    {
        public bool Equals(Snapshot? other) =>
            other is not null && Rows.SequenceEqual(other.Rows) && (Version, VersionETag) == (other.Version, other.VersionETag);

        public override int GetHashCode() => HashCode.Combine(Rows.Length, Version, VersionETag);

        public override string ToString() => $"v{Version}/{VersionETag} [{string.Join(", ", Rows.Select(r => r.ToString()))}]";
    }

    public static Snapshot SnapshotOf(MembershipTableData data) => new(
        data.Members.Select(m => RowOf(m.Item1, m.Item2)).OrderBy(r => r.Silo.Endpoint.Port).ThenBy(r => r.Silo.Generation).ToArray(),
        data.Version.Version,
        data.Version.VersionEtag);

    public static Snapshot SnapshotOf(MembershipTableState state) => SnapshotOf(state.ReadAll());

    public static Snapshot Table(int version, string versionETag, params Row[] rows) => new(rows, version, versionETag);
}
