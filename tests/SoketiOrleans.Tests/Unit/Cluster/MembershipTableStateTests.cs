using Orleans.Runtime;
using SoketiOrleans.Silo.Cluster;
using static SoketiOrleans.Tests.Unit.Cluster.MembershipRows;

namespace SoketiOrleans.Tests.Unit.Cluster;

/// <summary>
/// The membership table every Raft replica applies committed commands to: Orleans' conditional
/// writes (row etag, table version etag), replayed commands answered from memory, and etags that
/// depend only on the commands applied.
/// </summary>
public sealed class MembershipTableStateTests
{
    private static readonly SiloAddress A = SiloAt(11111);
    private static readonly SiloAddress B = SiloAt(11112);

    /// <summary>A with etag 1 and B with etag 3, at version 2 with etag 4.</summary>
    private static MembershipTableState TwoRows()
    {
        var state = new MembershipTableState();
        Assert.True(state.Apply(Insert(Entry(A), 1, "0")));
        Assert.True(state.Apply(Insert(Entry(B), 2, "2")));
        Assert.Equal(Table(2, "4", RowOf(Entry(A), "1"), RowOf(Entry(B), "3")), SnapshotOf(state));
        return state;
    }

    [Fact]
    public void A_new_table_is_empty_at_version_0_with_etag_0()
    {
        var state = new MembershipTableState();

        Assert.Equal(Table(0, "0"), SnapshotOf(state));
        Assert.Equal(Table(0, "0"), SnapshotOf(state.Read(A)));
        Assert.Empty(state.Entries);
    }

    [Fact]
    public void Insert_into_an_empty_table_with_version_1_and_etag_0_succeeds()
    {
        var state = new MembershipTableState();

        Assert.True(state.Apply(Insert(Entry(A), 1, "0")));

        Assert.Equal(Table(1, "2", RowOf(Entry(A), "1")), SnapshotOf(state));
        Assert.Equal(Table(1, "2", RowOf(Entry(A), "1")), SnapshotOf(state.Read(A)));
        Assert.Equal(Table(1, "2"), SnapshotOf(state.Read(B)));
        Assert.Equal([A], state.Entries.Select(e => e.SiloAddress));
    }

    [Fact]
    public void A_second_insert_of_the_same_silo_fails_even_with_the_current_version_etag()
    {
        var state = new MembershipTableState();
        Assert.True(state.Apply(Insert(Entry(A), 1, "0")));

        Assert.False(state.Apply(Insert(Entry(A, SiloStatus.Active), 2, "2")));

        Assert.Equal(Table(1, "2", RowOf(Entry(A), "1")), SnapshotOf(state));
    }

    [Fact]
    public void The_same_endpoint_with_another_generation_is_another_silo()
    {
        var state = new MembershipTableState();
        var restarted = SiloAt(11111, generation: 2);
        Assert.True(state.Apply(Insert(Entry(A, SiloStatus.Dead), 1, "0")));

        Assert.True(state.Apply(Insert(Entry(restarted), 2, "2")));

        Assert.Equal(Table(2, "4", RowOf(Entry(A, SiloStatus.Dead), "1"), RowOf(Entry(restarted), "3")), SnapshotOf(state));
    }

    [Fact]
    public void An_insert_with_a_stale_version_etag_fails_and_changes_nothing()
    {
        var state = new MembershipTableState();
        Assert.False(state.Apply(Insert(Entry(A), 1, "1")));
        Assert.Equal(Table(0, "0"), SnapshotOf(state));

        Assert.True(state.Apply(Insert(Entry(A), 1, "0")));
        Assert.False(state.Apply(Insert(Entry(B), 2, "0")));
        Assert.Equal(Table(1, "2", RowOf(Entry(A), "1")), SnapshotOf(state));

        // The refusals handed out no etags: the next write gets the ones it would have had anyway.
        Assert.True(state.Apply(Insert(Entry(B), 2, "2")));
        Assert.Equal(Table(2, "4", RowOf(Entry(A), "1"), RowOf(Entry(B), "3")), SnapshotOf(state));
    }

    [Fact]
    public void An_update_with_the_rows_etag_and_the_version_etag_succeeds()
    {
        var state = TwoRows();
        var active = Entry(A, SiloStatus.Active, alive: Epoch.AddSeconds(5));
        active.SuspectTimes!.Add(Tuple.Create(B, Epoch.AddSeconds(3)));

        Assert.True(state.Apply(Update(active, "1", 3, "4")));

        var updated = Entry(A, SiloStatus.Active, alive: Epoch.AddSeconds(5));
        updated.SuspectTimes!.Add(Tuple.Create(B, Epoch.AddSeconds(3)));
        Assert.Equal(Table(3, "6", RowOf(updated, "5"), RowOf(Entry(B), "3")), SnapshotOf(state));
        Assert.Equal(Table(3, "6", RowOf(updated, "5")), SnapshotOf(state.Read(A)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3")] // B's etag
    [InlineData("4")] // the version's etag
    public void An_update_with_a_wrong_row_etag_fails_and_changes_nothing(string etag)
    {
        var state = TwoRows();

        Assert.False(state.Apply(Update(Entry(A, SiloStatus.Active), etag, 3, "4")));

        Assert.Equal(Table(2, "4", RowOf(Entry(A), "1"), RowOf(Entry(B), "3")), SnapshotOf(state));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("2")] // the version etag before B's insert
    [InlineData("1")] // A's etag
    public void An_update_with_a_wrong_version_etag_fails_and_changes_nothing(string versionETag)
    {
        var state = TwoRows();

        Assert.False(state.Apply(Update(Entry(A, SiloStatus.Active), "1", 3, versionETag)));

        Assert.Equal(Table(2, "4", RowOf(Entry(A), "1"), RowOf(Entry(B), "3")), SnapshotOf(state));
    }

    [Fact]
    public void An_update_of_a_missing_row_fails_and_changes_nothing()
    {
        var state = new MembershipTableState();
        Assert.True(state.Apply(Insert(Entry(A), 1, "0")));

        Assert.False(state.Apply(Update(Entry(B, SiloStatus.Active), "1", 2, "2")));

        Assert.Equal(Table(1, "2", RowOf(Entry(A), "1")), SnapshotOf(state));
    }

    [Fact]
    public void IAmAlive_changes_only_the_IAmAliveTime_and_leaves_the_version_untouched()
    {
        var state = TwoRows();
        var report = Entry(A, SiloStatus.Dead, started: Epoch.AddDays(-1), alive: Epoch.AddMinutes(1));
        report.SiloName = "another-name";
        report.HostName = "another-host";
        report.ProxyPort = 1;
        report.SuspectTimes!.Add(Tuple.Create(B, Epoch));

        Assert.True(state.Apply(IAmAlive(report)));

        // Like Orleans' own in-memory table, the row gets a new etag (an update based on the old
        // read is refused and retried); the table version and its etag stay.
        Assert.Equal(Table(2, "4", RowOf(Entry(A, alive: Epoch.AddMinutes(1)), "5"), RowOf(Entry(B), "3")), SnapshotOf(state));
    }

    [Fact]
    public void IAmAlive_of_an_unknown_silo_changes_nothing()
    {
        var state = TwoRows();

        Assert.True(state.Apply(IAmAlive(Entry(SiloAt(11113), SiloStatus.Active, alive: Epoch.AddMinutes(1)))));

        Assert.Equal(Table(2, "4", RowOf(Entry(A), "1"), RowOf(Entry(B), "3")), SnapshotOf(state));
        Assert.True(state.Apply(Insert(Entry(SiloAt(11113)), 3, "4")));
        Assert.Equal(Table(3, "6", RowOf(Entry(A), "1"), RowOf(Entry(B), "3"), RowOf(Entry(SiloAt(11113)), "5")), SnapshotOf(state));
    }

    public static TheoryData<DateTimeOffset> SameInstant => new()
    {
        new DateTimeOffset(Epoch),
        new DateTimeOffset(DateTime.SpecifyKind(Epoch.AddHours(2), DateTimeKind.Unspecified), TimeSpan.FromHours(2)),
        new DateTimeOffset(DateTime.SpecifyKind(Epoch.AddHours(-5), DateTimeKind.Unspecified), TimeSpan.FromHours(-5)),
    };

    [Theory]
    [MemberData(nameof(SameInstant))]
    public void CleanupDefunct_removes_only_dead_rows_last_updated_before_the_date(DateTimeOffset before)
    {
        var entries = new[]
        {
            /* 0 removed */ Entry(SiloAt(1), SiloStatus.Dead, started: Epoch.AddMinutes(-10), alive: Epoch.AddMinutes(-5)),
            /* 1 kept    */ Entry(SiloAt(2), SiloStatus.Dead, started: Epoch.AddMinutes(-10), alive: Epoch.AddMinutes(1)),
            /* 2 kept    */ Entry(SiloAt(3), SiloStatus.Dead, started: Epoch.AddMinutes(1), alive: Epoch.AddMinutes(-10)),
            /* 3 kept    */ Entry(SiloAt(4), SiloStatus.Dead, started: Epoch.AddMinutes(-10), alive: Epoch),
            /* 4 removed */ Entry(SiloAt(5), SiloStatus.Dead, started: Epoch.AddDays(-1), alive: Epoch.AddDays(-2)),
            /* 5 removed */ Entry(SiloAt(6), SiloStatus.Dead, started: Epoch.AddTicks(-1), alive: Epoch.AddTicks(-1)),
            /* 6 kept    */ Entry(SiloAt(7), SiloStatus.Active, started: Epoch.AddDays(-1), alive: Epoch.AddDays(-1)),
            /* 7 kept    */ Entry(SiloAt(8), SiloStatus.ShuttingDown, started: Epoch.AddDays(-1), alive: Epoch.AddDays(-1)),
            /* 8 kept    */ Entry(SiloAt(9), SiloStatus.Joining, started: Epoch.AddDays(-1), alive: Epoch.AddDays(-1)),
        };
        var state = new MembershipTableState();
        for (var i = 0; i < entries.Length; i++)
        {
            Assert.True(state.Apply(Insert(entries[i], i + 1, (2 * i).ToString())));
        }

        Assert.True(state.Apply(Cleanup(before)));

        Assert.Equal(
            Table(9, "18", [.. new[] { 1, 2, 3, 6, 7, 8 }.Select(i => RowOf(entries[i], (2 * i + 1).ToString()))]),
            SnapshotOf(state));
    }

    [Fact]
    public void DeleteAll_empties_the_rows_but_keeps_the_version()
    {
        var state = TwoRows();

        Assert.True(state.Apply(DeleteAll()));

        Assert.Equal(Table(2, "4"), SnapshotOf(state));
        Assert.False(state.Apply(Insert(Entry(A), 1, "0")));
        Assert.True(state.Apply(Insert(Entry(A), 3, "4")));
        Assert.Equal(Table(3, "6", RowOf(Entry(A), "5")), SnapshotOf(state));
    }

    [Fact]
    public void A_replayed_success_returns_true_without_applying_again()
    {
        var state = new MembershipTableState();
        var insert = Insert(Entry(A), 1, "0");
        Assert.True(state.Apply(insert));
        var update = Update(Entry(A, SiloStatus.Active), "1", 2, "2");
        Assert.True(state.Apply(update));
        var alive = IAmAlive(Entry(A, alive: Epoch.AddMinutes(1)));
        Assert.True(state.Apply(alive));
        var expected = Table(2, "4", RowOf(Entry(A, SiloStatus.Active, alive: Epoch.AddMinutes(1)), "5"));
        Assert.Equal(expected, SnapshotOf(state));

        // Applied again, the insert and the update would be refused and IAmAlive would hand out a new etag.
        // A resent write reaches the log as another copy with the same Id.
        Assert.True(state.Apply(RoundTrip(insert)));
        Assert.True(state.Apply(RoundTrip(update)));
        Assert.True(state.Apply(RoundTrip(alive)));
        Assert.True(state.Apply(insert));

        Assert.Equal(expected, SnapshotOf(state));
    }

    [Fact]
    public void A_replayed_refusal_returns_false_without_applying_again()
    {
        var state = new MembershipTableState();
        var early = Insert(Entry(B), 2, "2");
        Assert.False(state.Apply(early)); // the table's version etag is 0
        Assert.True(state.Apply(Insert(Entry(A), 1, "0")));
        var ahead = Update(Entry(A, SiloStatus.Active), "3", 2, "2");
        Assert.False(state.Apply(ahead)); // A's etag is 1
        Assert.True(state.Apply(IAmAlive(Entry(A, alive: Epoch.AddMinutes(1)))));
        var expected = Table(1, "2", RowOf(Entry(A, alive: Epoch.AddMinutes(1)), "3"));
        Assert.Equal(expected, SnapshotOf(state));

        // Both would succeed now: the version etag is 2 and A's etag is 3.
        Assert.False(state.Apply(RoundTrip(early)));
        Assert.False(state.Apply(RoundTrip(ahead)));

        Assert.Equal(expected, SnapshotOf(state));
    }

    [Fact]
    public void The_outcomes_of_the_last_1024_commands_are_remembered()
    {
        var state = new MembershipTableState();
        var first = Insert(Entry(A), 1, "0");
        Assert.True(state.Apply(first));
        var unknown = Entry(SiloAt(1));
        for (var i = 0; i < 1023; i++)
        {
            Assert.True(state.Apply(IAmAlive(unknown)));
        }

        Assert.True(state.Apply(first));
        Assert.Equal(Table(1, "2", RowOf(Entry(A), "1")), SnapshotOf(state));

        // One command more and the first one's outcome is forgotten: a copy is applied as new.
        Assert.True(state.Apply(IAmAlive(unknown)));
        Assert.False(state.Apply(first));
        Assert.Equal(Table(1, "2", RowOf(Entry(A), "1")), SnapshotOf(state));
    }

    /// <summary>A mix of every kind of command, granted and refused, with replays.</summary>
    private static IEnumerable<TableCommand> History()
    {
        var c = SiloAt(11113);
        var insertA = Insert(Entry(A), 1, "0");
        yield return insertA;
        yield return Insert(Entry(B), 2, "2");
        yield return Insert(Entry(c), 3, "2"); // stale
        yield return insertA; // replay
        yield return Insert(Entry(c), 3, "4");
        yield return IAmAlive(Entry(A, alive: Epoch.AddSeconds(10)));
        var activate = Update(Entry(A, SiloStatus.Active, alive: Epoch.AddSeconds(10)), "7", 4, "6");
        yield return activate;
        yield return Update(Entry(B, SiloStatus.Active), "1", 5, "9"); // wrong row etag
        yield return Update(Entry(B, SiloStatus.Active), "3", 5, "9");
        yield return activate; // replay
        yield return IAmAlive(Entry(B, alive: Epoch.AddSeconds(20)));
        var suspect = Entry(c, SiloStatus.Dead, alive: Epoch.AddSeconds(5));
        suspect.SuspectTimes!.Add(Tuple.Create(A, Epoch.AddSeconds(6)));
        suspect.SuspectTimes!.Add(Tuple.Create(B, Epoch.AddSeconds(7)));
        yield return Update(suspect, "5", 6, "11");
        yield return IAmAlive(Entry(SiloAt(1), alive: Epoch.AddSeconds(30))); // unknown
        yield return Cleanup(new DateTimeOffset(Epoch.AddSeconds(6)));
        yield return Insert(Entry(SiloAt(11111, generation: 2)), 7, "14");
        yield return Update(Entry(B, SiloStatus.ShuttingDown), "12", 8, "16");
        yield return DeleteAll();
        yield return Insert(Entry(SiloAt(11112, generation: 2)), 9, "18");
    }

    [Fact]
    public void Replicas_fed_the_same_commands_end_with_the_same_table()
    {
        // Each replica deserializes its own copy of every log entry.
        var history = History().Select(command => Serializer.SerializeToArray(command)).ToArray();
        var first = new MembershipTableState();
        var second = new MembershipTableState();
        MembershipTableState? restored = null;
        var outcomes = new List<(bool First, bool Second, bool? Restored)>();
        for (var i = 0; i < history.Length; i++)
        {
            var a = first.Apply(Serializer.Deserialize<TableCommand>(history[i])!);
            var b = second.Apply(Serializer.Deserialize<TableCommand>(history[i])!);
            var r = restored?.Apply(Serializer.Deserialize<TableCommand>(history[i])!);
            outcomes.Add((a, b, r));
            Assert.Equal(SnapshotOf(first), SnapshotOf(second));
            if (restored is not null)
            {
                Assert.Equal(SnapshotOf(first), SnapshotOf(restored));
            }

            if (i == 5)
            {
                // A replica that starts from a snapshot (Raft's InstallSnapshot) from here on.
                restored = RoundTrip(first);
            }
        }

        Assert.Equal(
            new[] { true, true, false, true, true, true, true, false, true, true, true, true, true, true, true, true, true, true }
                .Select((outcome, i) => (First: outcome, Second: outcome, Restored: i > 5 ? outcome : (bool?)null)),
            outcomes);
        Assert.Equal(Table(9, "20", RowOf(Entry(SiloAt(11112, generation: 2)), "19")), SnapshotOf(first));
        Assert.Equal(Serializer.SerializeToArray(first), Serializer.SerializeToArray(second));
    }

    [Fact]
    public void Readers_get_copies_they_may_change_without_changing_the_table()
    {
        var state = TwoRows();
        var expected = SnapshotOf(state);

        // MembershipStateMachine.Read hands each reader a deserialized copy of the state.
        var all = RoundTrip(state).ReadAll();
        var one = RoundTrip(state).Read(A);
        foreach (var (entry, _) in all.Members.Concat(one.Members))
        {
            entry.Status = SiloStatus.Dead;
            entry.IAmAliveTime = Epoch.AddDays(1);
            entry.SiloName = "changed";
            entry.SuspectTimes!.Add(Tuple.Create(A, Epoch));
        }

        Assert.Equal(expected, SnapshotOf(state));
        Assert.Equal(expected, SnapshotOf(RoundTrip(state)));
        Assert.True(state.Apply(Update(Entry(A, SiloStatus.Active), "1", 3, "4")));
        Assert.Equal(Table(3, "6", RowOf(Entry(A, SiloStatus.Active), "5"), RowOf(Entry(B), "3")), SnapshotOf(state));
    }
}
