using SoketiOrleans.Channels;
using SoketiOrleans.Gateways;
using SoketiOrleans.Grains.Channels;

namespace SoketiOrleans.Tests.Unit;

/// <summary>The channel grain's deciding part: what a report or a departure changes.</summary>
public sealed class ChannelRosterTests
{
    private readonly ChannelRoster _presence = new(presence: true, inProcess: _ => null);
    private readonly Dictionary<string, long> _versions = [];

    private ChannelReport Report(string gateway, params PresenceSocket[] members) =>
        new(gateway, null!, 1, _versions[gateway] = _versions.GetValueOrDefault(gateway) + 1, members.Length, members);

    private static PresenceSocket P(string socketId, string userId) => new(socketId, userId);

    private static GatewayDeparture Departure(string gateway, int count, params PresenceSocket[] members) =>
        new(gateway, new LedgerEntry(LedgerTarget.Channel, "app:presence-x", count, members));

    [Fact]
    public void A_held_gateway_departs_with_its_sockets_and_only_users_left_without_one_are_removed()
    {
        _presence.Apply(Report("a", P("1.1", "ann"), P("1.2", "sam")), -1);
        _presence.Apply(Report("c", P("3.1", "carl"), P("3.2", "sam")), -1);

        var change = _presence.Depart(Departure("c", 2, P("3.1", "carl"), P("3.2", "sam")));

        Assert.Equal((4, 2), (change.CountBefore, change.CountAfter));
        Assert.Equal([("carl", "3.1")], change.Removed);
        Assert.Empty(change.Added);
        Assert.Equal(["ann", "sam"], _presence.Members.Snapshot.Select(m => m.Key));
    }

    [Fact]
    public void A_rebuilt_roster_announces_what_left_with_a_gateway_it_never_heard_of()
    {
        _presence.Restore(Report("a", P("1.1", "ann"), P("1.2", "sam")));

        var change = _presence.Depart(Departure("c", 3, P("3.1", "carl"), P("3.2", "sam"), P("3.3", "carl")));

        Assert.Equal((5, 2), (change.CountBefore, change.CountAfter));
        Assert.Equal(["carl"], change.Removed.Select(r => r.UserId));
        Assert.Equal(2, _presence.SubscriptionCount);
    }

    [Fact]
    public void A_rebuilt_roster_whose_only_gateway_died_is_vacated()
    {
        var change = _presence.Depart(Departure("c", 1, P("3.1", "carl")));

        Assert.Equal((1, 0), (change.CountBefore, change.CountAfter));
        Assert.Equal(["carl"], change.Removed.Select(r => r.UserId));
    }

    [Fact]
    public void The_departure_of_a_gateway_that_already_left_or_already_departed_changes_nothing()
    {
        _presence.Apply(Report("a", P("1.1", "ann")), -1);
        _presence.Apply(Report("c", P("3.1", "carl")), -1);
        _presence.Apply(Report("c"), -1); // carl left before c died

        Assert.False(_presence.Depart(Departure("c", 1, P("3.1", "carl"))).CountsChanged);
        Assert.True(_presence.Depart(Departure("d", 1, P("4.1", "dan"))).CountsChanged);
        Assert.False(_presence.Depart(Departure("d", 1, P("4.1", "dan"))).CountsChanged); // told twice
        Assert.Equal(["ann"], _presence.Members.Snapshot.Select(m => m.Key));
    }

    [Fact]
    public void The_departure_of_a_gateway_that_only_ever_reported_nothing_or_was_found_gone_changes_nothing()
    {
        _presence.Apply(Report("a", P("1.1", "ann")), -1);
        _presence.Apply(Report("e"), -1); // its only socket left before its first report
        _presence.Apply(Report("f", P("6.1", "fay")), -1);
        _presence.Remove(_presence.Gateway("f")!); // found gone before its ledger spoke

        Assert.False(_presence.Depart(Departure("e", 1, P("5.1", "eve"))).CountsChanged);
        Assert.False(_presence.Depart(Departure("f", 1, P("6.1", "fay"))).CountsChanged);
        Assert.Equal(["ann"], _presence.Members.Snapshot.Select(m => m.Key));
    }

    [Fact]
    public void A_gateway_that_left_and_came_back_departs_with_what_it_holds_again()
    {
        _presence.Apply(Report("a", P("1.1", "ann")), -1);
        _presence.Apply(Report("c", P("3.1", "carl")), -1);
        _presence.Apply(Report("c"), -1);
        _presence.Apply(Report("c", P("3.2", "cleo")), -1);

        var change = _presence.Depart(Departure("c", 1, P("3.2", "cleo")));

        Assert.Equal((2, 1), (change.CountBefore, change.CountAfter));
        Assert.Equal([("cleo", "3.2")], change.Removed);
        Assert.False(_presence.Depart(Departure("c", 1, P("3.2", "cleo"))).CountsChanged);
    }

    [Fact]
    public void A_counting_channel_forgets_a_gateway_that_reports_none_and_its_departure_changes_nothing()
    {
        var counting = new ChannelRoster(presence: false, inProcess: _ => null);
        counting.Apply(new ChannelReport("a", null!, 1, 1, 3), -1);
        counting.Apply(new ChannelReport("c", null!, 1, 1, 2), -1);
        counting.Apply(new ChannelReport("c", null!, 1, 2, 0), -1);

        Assert.Null(counting.Gateway("c"));
        Assert.False(counting.Depart(Departure("c", 2)).CountsChanged);
        Assert.Equal(3, counting.SubscriptionCount);
        Assert.Equal(0, counting.Members.Count);
        Assert.Empty(counting.Members.Snapshot);
    }

    [Fact]
    public void Counting_channels_depart_by_count()
    {
        var counting = new ChannelRoster(presence: false, inProcess: _ => null);
        counting.Apply(new ChannelReport("a", null!, 1, 1, 3), -1);
        counting.Apply(new ChannelReport("c", null!, 1, 1, 2), -1);

        var change = counting.Depart(Departure("c", 2));

        Assert.Equal((5, 3), (change.CountBefore, change.CountAfter));
        Assert.Equal(3, counting.SubscriptionCount);
    }
}
