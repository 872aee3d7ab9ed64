using Orleans.Runtime;
using SoketiOrleans.Silo.Cluster;
using static SoketiOrleans.Tests.Unit.Cluster.MembershipRows;

namespace SoketiOrleans.Tests.Unit.Cluster;

/// <summary>
/// The table state and its commands through Orleans' serializer, as Raft's log entries, snapshots
/// and <see cref="MembershipStateMachine.Read{T}"/> carry them.
/// </summary>
public sealed class MembershipSerializationTests
{
    private static readonly SiloAddress A = SiloAt(11111);
    private static readonly SiloAddress B = SiloAt(11112);
    private static readonly SiloAddress C = SiloAt(11113, generation: 7);

    [Fact]
    public void A_deserialized_state_has_the_same_rows_version_etag_counter_and_remembered_outcomes()
    {
        var state = new MembershipTableState();
        var insertA = Insert(Entry(A), 1, "0");
        var refused = Insert(Entry(C), 2, "0");
        var updateA = Update(Entry(A, SiloStatus.Active, alive: Epoch.AddSeconds(5)), "1", 2, "2");
        var dead = Entry(B, SiloStatus.Dead, started: Epoch.AddMinutes(-1), alive: Epoch.AddSeconds(1));
        dead.SuspectTimes!.Add(Tuple.Create(A, Epoch.AddSeconds(2)));
        dead.SuspectTimes!.Add(Tuple.Create(C, Epoch.AddSeconds(3)));
        Assert.True(state.Apply(insertA));
        Assert.False(state.Apply(refused));
        Assert.True(state.Apply(updateA));
        Assert.True(state.Apply(Insert(dead, 3, "4")));
        Assert.True(state.Apply(IAmAlive(Entry(A, alive: Epoch.AddSeconds(9)))));

        var copy = RoundTrip(state);

        var expectedDead = Entry(B, SiloStatus.Dead, started: Epoch.AddMinutes(-1), alive: Epoch.AddSeconds(1));
        expectedDead.SuspectTimes!.Add(Tuple.Create(A, Epoch.AddSeconds(2)));
        expectedDead.SuspectTimes!.Add(Tuple.Create(C, Epoch.AddSeconds(3)));
        var expected = Table(3, "6", RowOf(Entry(A, SiloStatus.Active, alive: Epoch.AddSeconds(9)), "7"), RowOf(expectedDead, "5"));
        Assert.Equal(expected, SnapshotOf(state));
        Assert.Equal(expected, SnapshotOf(copy));
        Assert.Equal(Table(3, "6", RowOf(expectedDead, "5")), SnapshotOf(copy.Read(B)));
        Assert.Equal(Table(3, "6"), SnapshotOf(copy.Read(C)));

        // Replays answer from the copy's memory: applied again, insertA (A exists) and updateA
        // (A's etag is now 7) would be refused.
        Assert.True(copy.Apply(RoundTrip(insertA)));
        Assert.False(copy.Apply(RoundTrip(refused)));
        Assert.True(copy.Apply(RoundTrip(updateA)));
        Assert.Equal(expected, SnapshotOf(copy));

        // The etag counter came along: both hand out the same etags for the next write.
        var next = Insert(Entry(C), 4, "6");
        Assert.True(state.Apply(next));
        Assert.True(copy.Apply(RoundTrip(next)));
        Assert.Equal(SnapshotOf(state), SnapshotOf(copy));
        Assert.Equal(Table(4, "9", RowOf(Entry(A, SiloStatus.Active, alive: Epoch.AddSeconds(9)), "7"), RowOf(expectedDead, "5"), RowOf(Entry(C), "8")), SnapshotOf(copy));
    }

    [Fact]
    public void A_remembered_refusal_survives_a_round_trip_when_applying_again_would_succeed()
    {
        var state = new MembershipTableState();
        var early = Insert(Entry(B), 2, "2");
        Assert.False(state.Apply(early));
        Assert.True(state.Apply(Insert(Entry(A), 1, "0")));

        var copy = RoundTrip(state);

        Assert.False(copy.Apply(RoundTrip(early)));
        Assert.Equal(Table(1, "2", RowOf(Entry(A), "1")), SnapshotOf(copy));
    }

    [Fact]
    public void An_empty_state_round_trips_to_version_0_with_etag_0()
    {
        var copy = RoundTrip(new MembershipTableState());

        Assert.Equal(Table(0, "0"), SnapshotOf(copy));
        Assert.True(copy.Apply(Insert(Entry(A), 1, "0")));
        Assert.Equal(Table(1, "2", RowOf(Entry(A), "1")), SnapshotOf(copy));
    }

    public static TheoryData<TableCommand> Commands()
    {
        var suspected = Entry(A, SiloStatus.Active, started: Epoch.AddMinutes(-3), alive: Epoch.AddSeconds(4));
        suspected.SuspectTimes!.Add(Tuple.Create(B, Epoch.AddSeconds(2)));
        return new()
        {
            Insert(Entry(A), 1, "0"),
            Update(suspected, "17", 9, "18"),
            IAmAlive(Entry(C, alive: Epoch.AddSeconds(30))),
            Cleanup(new DateTimeOffset(DateTime.SpecifyKind(Epoch.AddHours(2), DateTimeKind.Unspecified), TimeSpan.FromHours(2))),
            DeleteAll(),
        };
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_command_round_trips_field_for_field(TableCommand command)
    {
        var copy = RoundTrip(command);

        Assert.Equal(
            (command.Id, command.Kind, command.ETag, command.Version?.Version, command.Version?.VersionEtag, command.Before, command.Before.Offset),
            (copy.Id, copy.Kind, copy.ETag, copy.Version?.Version, copy.Version?.VersionEtag, copy.Before, copy.Before.Offset));
        Assert.Equal(command.Entry is null ? null : RowOf(command.Entry, ""), copy.Entry is null ? null : RowOf(copy.Entry, ""));
    }
}
