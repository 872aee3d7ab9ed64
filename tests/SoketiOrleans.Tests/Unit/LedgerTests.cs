using Microsoft.Extensions.Time.Testing;
using SoketiOrleans.Gateways;
using SoketiOrleans.Grains.Gateways;

namespace SoketiOrleans.Tests.Unit;

/// <summary>The ledger grain's copy of a gateway's state and the gateway's lease, on a fake clock.</summary>
public sealed class LedgerTests
{
    [Fact]
    public void A_lease_lapses_only_after_its_duration_without_a_renewal()
    {
        var time = new FakeTimeProvider();
        var lease = new GatewayLease(time, GatewayLedgerGrain.LeaseDuration);

        time.Advance(TimeSpan.FromSeconds(14));
        lease.Renew();
        time.Advance(TimeSpan.FromSeconds(15));
        Assert.False(lease.Lapsed);

        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(lease.Lapsed);
    }

    [Fact]
    public void A_whole_report_replaces_everything_and_a_change_applies_only_on_the_version_it_builds_on()
    {
        var entries = new LedgerEntries();
        Assert.False(entries.Take(Report(3, 2, false, Channel("a", 1)))); // a new ledger takes only a whole report
        Assert.True(entries.Take(Report(3, 0, true, Channel("a", 1), Channel("b", 2))));

        Assert.True(entries.Take(Report(5, 3, false, Channel("b", 0), Channel("c", 4))));
        Assert.Equal(["a:1", "c:4"], entries.All.Select(e => $"{e.Key}:{e.Count}").Order());

        Assert.False(entries.Take(Report(7, 4, false, Channel("a", 9)))); // built on a version this copy missed
        Assert.Equal(5, entries.Version);
        Assert.True(entries.Take(Report(5, 5, false))); // a renewal
    }

    [Fact]
    public void A_users_entry_with_no_sockets_left_is_removed()
    {
        var entries = new LedgerEntries();
        entries.Take(Report(1, 0, true, new LedgerEntry(LedgerTarget.User, "app:u", 1, SocketIds: ["1.1"])));

        entries.Take(Report(2, 1, false, new LedgerEntry(LedgerTarget.User, "app:u", 0, SocketIds: [])));

        Assert.Empty(entries.All);
    }

    private static LedgerEntry Channel(string key, int count) => new(LedgerTarget.Channel, key, count);

    private static LedgerReport Report(long version, long baseVersion, bool all, params LedgerEntry[] entries) => new(version, baseVersion, all, entries);
}
