using SoketiOrleans.Gateway.Quotas;
using SoketiOrleans.Quotas;
using static SoketiOrleans.Gateway.Quotas.TokenLease.Answer;

namespace SoketiOrleans.Tests.Unit;

public sealed class TokenLeaseTests
{
    private static RateLease Lease(long window, int granted, int remaining, int validForMs = 1000) =>
        new(window, granted, remaining, TimeSpan.FromMilliseconds(validForMs));

    [Fact]
    public void Below_16_there_is_no_batch_so_every_take_asks_the_grain_for_exactly_its_points()
    {
        var lease = new TokenLease(limit: 10);

        Assert.Equal(0, lease.Batch);
        Assert.Equal(AskGrain, lease.TryTake(3, now: 0));
        Assert.Equal(3, lease.Wanted(waiting: 3, now: 0));
        lease.Granted(Lease(1, 3, 7), askedAt: 0, now: 5);
        Assert.Equal(Taken, lease.TryTake(3, 5));
        Assert.False(lease.Low(5));
    }

    [Fact]
    public void Leases_a_sixteenth_of_the_limit_ahead_and_asks_again_when_half_of_it_is_left()
    {
        var lease = new TokenLease(limit: 320);
        Assert.Equal(20, lease.Batch);

        Assert.Equal(21, lease.Wanted(waiting: 1, now: 0));
        lease.Granted(Lease(1, 21, 299), askedAt: 0, now: 1);
        Assert.Equal(Taken, lease.TryTake(1, 1));
        Assert.Equal(20, lease.Tokens);

        for (var i = 0; i < 10; i++)
        {
            Assert.False(lease.Low(2));
            Assert.Equal(Taken, lease.TryTake(1, 2));
        }

        Assert.Equal(10, lease.Tokens);
        Assert.False(lease.Low(2));
        Assert.Equal(Taken, lease.TryTake(1, 2));
        Assert.True(lease.Low(2));
        Assert.Equal(20, lease.Wanted(0, 2));
    }

    [Fact]
    public void Once_the_window_is_known_to_be_spent_takes_are_refused_without_asking()
    {
        var lease = new TokenLease(limit: 10);
        lease.Granted(Lease(1, 2, 0, validForMs: 400), askedAt: 100, now: 110);

        Assert.Equal(Refused, lease.TryTake(3, 200));
        Assert.Equal(Taken, lease.TryTake(2, 200));
        Assert.Equal(Refused, lease.TryTake(1, 300));
        Assert.Equal(0, lease.Wanted(0, 300));
    }

    [Fact]
    public void A_take_the_window_could_still_cover_asks_the_grain()
    {
        var lease = new TokenLease(limit: 10);
        lease.Granted(Lease(1, 1, 4), askedAt: 0, now: 1);

        Assert.Equal(AskGrain, lease.TryTake(5, 2));
        Assert.Equal(Refused, lease.TryTake(6, 2));
        Assert.Equal(4, lease.Wanted(waiting: 5, now: 2));
    }

    [Fact]
    public void Tokens_lapse_when_the_window_ends_counted_from_when_they_were_asked_for()
    {
        var lease = new TokenLease(limit: 10);
        lease.Granted(Lease(1, 5, 0, validForMs: 300), askedAt: 1_000, now: 1_050);

        Assert.Equal(Taken, lease.TryTake(1, 1_299));
        Assert.Equal(AskGrain, lease.TryTake(1, 1_300));
        Assert.Equal(0, lease.Tokens);
    }

    [Fact]
    public void Tokens_of_an_older_window_never_add_to_a_newer_one()
    {
        var lease = new TokenLease(limit: 320);
        lease.Granted(Lease(1, 20, 300, validForMs: 900), askedAt: 0, now: 1);

        lease.Granted(Lease(2, 20, 280, validForMs: 1000), askedAt: 800, now: 850);

        Assert.Equal(20, lease.Tokens);
    }

    [Fact]
    public void More_points_than_the_limit_are_refused_at_once()
    {
        Assert.Equal(Refused, new TokenLease(limit: 5).TryTake(6, 0));
    }
}
