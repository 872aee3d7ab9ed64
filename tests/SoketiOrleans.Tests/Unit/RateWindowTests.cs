using SoketiOrleans.Grains.Quotas;

namespace SoketiOrleans.Tests.Unit;

public sealed class RateWindowTests
{
    [Fact]
    public void Grants_at_most_the_limit_in_one_window_then_nothing()
    {
        var window = new RateWindow();

        var first = window.Lease(wanted: 6, limit: 10, nowMilliseconds: 1_000);
        var second = window.Lease(wanted: 6, limit: 10, nowMilliseconds: 1_400);
        var third = window.Lease(wanted: 1, limit: 10, nowMilliseconds: 1_999);

        Assert.Equal((6, 4, TimeSpan.FromMilliseconds(1000)), (first.Granted, first.Remaining, first.ValidFor));
        Assert.Equal((4, 0, TimeSpan.FromMilliseconds(600)), (second.Granted, second.Remaining, second.ValidFor));
        Assert.Equal((0, 0, TimeSpan.FromMilliseconds(1)), (third.Granted, third.Remaining, third.ValidFor));
        Assert.Equal(first.Window, third.Window);
    }

    [Fact]
    public void A_new_window_starts_with_the_first_lease_after_the_last_one_ended()
    {
        var window = new RateWindow();
        var old = window.Lease(10, 10, 1_000);

        var fresh = window.Lease(3, 10, 2_500);

        Assert.NotEqual(old.Window, fresh.Window);
        Assert.Equal((3, 7, TimeSpan.FromMilliseconds(1000)), (fresh.Granted, fresh.Remaining, fresh.ValidFor));
    }

    [Fact]
    public void A_lowered_limit_grants_nothing_more_in_a_window_already_past_it()
    {
        var window = new RateWindow();
        window.Lease(8, 10, 0);

        var lease = window.Lease(5, 5, 100);

        Assert.Equal((0, 0), (lease.Granted, lease.Remaining));
    }
}
