using SoketiOrleans.Grains.Quotas;

namespace SoketiOrleans.Tests.Unit;

public sealed class ConnectionCountsTests
{
    [Fact]
    public void Admits_up_to_the_limit_summed_over_gateways()
    {
        var counts = new ConnectionCounts();

        Assert.Equal(2, counts.Admit("a", held: 0, joining: 2, limit: 3, nowMilliseconds: 0));
        Assert.Equal(1, counts.Admit("b", held: 0, joining: 5, limit: 3, nowMilliseconds: 0));
        Assert.Equal(0, counts.Admit("a", held: 2, joining: 1, limit: 3, nowMilliseconds: 0));
        Assert.Equal(3, counts.Total);
    }

    [Fact]
    public void Counts_are_absolute_so_repeating_or_lowering_one_frees_room()
    {
        var counts = new ConnectionCounts();
        counts.Admit("a", 0, 3, 3, 0);

        Assert.Equal(0, counts.Admit("a", held: 3, joining: 0, limit: 3, nowMilliseconds: 10));
        Assert.Equal(3, counts.Total);
        Assert.Equal(0, counts.Admit("a", held: 2, joining: 0, limit: 3, nowMilliseconds: 20));
        Assert.Equal(1, counts.Admit("b", held: 0, joining: 1, limit: 3, nowMilliseconds: 20));
    }

    [Fact]
    public void A_gateway_that_stops_reporting_expires()
    {
        var counts = new ConnectionCounts();
        counts.Admit("dead", 0, 3, 3, 0);
        var expired = (long)ConnectionCounts.Expiry.TotalMilliseconds + 1;

        Assert.Equal(0, counts.Admit("b", 0, 1, 3, expired - 2));
        Assert.Equal(1, counts.Admit("b", 0, 1, 3, expired));
        Assert.Equal(1, counts.Total);
    }

    [Fact]
    public void A_gateway_at_zero_is_forgotten()
    {
        var counts = new ConnectionCounts();
        counts.Admit("a", 0, 1, 3, 0);

        counts.Admit("a", 0, 0, 3, 1);

        Assert.Equal(0, counts.Total);
    }
}
