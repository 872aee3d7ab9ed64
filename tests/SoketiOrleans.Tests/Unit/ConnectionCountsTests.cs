using SoketiOrleans.Grains.Quotas;
using SoketiOrleans.Quotas;

namespace SoketiOrleans.Tests.Unit;

public sealed class ConnectionCountsTests
{
    private readonly Dictionary<string, long> _versions = [];

    private ConnectionReport Held(string gateway, int held) =>
        new(gateway, _versions[gateway] = _versions.GetValueOrDefault(gateway) + 1, held);

    [Fact]
    public void Admits_up_to_the_limit_summed_over_gateways()
    {
        var counts = new ConnectionCounts();

        Assert.Equal(2, counts.Admit(Held("a", 0), joining: 2, limit: 3));
        Assert.Equal(1, counts.Admit(Held("b", 0), joining: 5, limit: 3));
        Assert.Equal(0, counts.Admit(Held("a", 2), joining: 1, limit: 3));
        Assert.Equal(3, counts.Total);
    }

    [Fact]
    public void Counts_are_absolute_so_repeating_or_lowering_one_frees_room()
    {
        var counts = new ConnectionCounts();
        counts.Admit(Held("a", 0), 3, 3);

        Assert.Equal(0, counts.Admit(Held("a", 3), joining: 0, limit: 3));
        Assert.Equal(3, counts.Total);
        Assert.Equal(0, counts.Admit(Held("a", 2), joining: 0, limit: 3));
        Assert.Equal(1, counts.Admit(Held("b", 0), joining: 1, limit: 3));
    }

    [Fact]
    public void An_older_count_than_the_one_held_does_not_replace_it()
    {
        var counts = new ConnectionCounts();
        var older = Held("a", 0);
        counts.Admit(Held("a", 2), 0, 3);

        Assert.Equal(1, counts.Admit(older, joining: 5, limit: 3));
        Assert.Equal(3, counts.Total);
    }

    [Fact]
    public void A_gateway_that_is_gone_frees_its_share()
    {
        var counts = new ConnectionCounts();
        counts.Admit(Held("dead", 0), 3, 3);
        Assert.Equal(0, counts.Admit(Held("b", 0), 1, 3));

        counts.Remove("dead");

        Assert.Equal(1, counts.Admit(Held("b", 0), 1, 3));
        Assert.Equal(1, counts.Total);
    }

    [Fact]
    public void A_gateway_at_zero_is_forgotten()
    {
        var counts = new ConnectionCounts();
        counts.Admit(Held("a", 0), 1, 3);

        counts.Admit(Held("a", 0), 0, 3);

        Assert.Equal(0, counts.Total);
        Assert.Empty(counts.Gateways);
    }
}
