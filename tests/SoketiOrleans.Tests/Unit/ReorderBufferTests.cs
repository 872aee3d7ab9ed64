using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Channels;

namespace SoketiOrleans.Tests.Unit;

public sealed class ReorderBufferTests
{
    private readonly ReorderBuffer _buffer = new();
    private readonly List<long> _dispatched = [];

    [Fact]
    public void Passes_an_in_order_stream_straight_through()
    {
        Offer(1, 2, 3);
        Assert.Equal([1, 2, 3], _dispatched);
        Assert.False(_buffer.HasGap);
    }

    [Fact]
    public void Holds_early_deliveries_until_the_gap_fills()
    {
        Offer(1, 3, 4);
        Assert.Equal([1], _dispatched);
        Assert.True(_buffer.HasGap);

        Offer(2);
        Assert.Equal([1, 2, 3, 4], _dispatched);
        Assert.False(_buffer.HasGap);
    }

    [Fact]
    public void Drops_repeats()
    {
        Offer(1, 2, 2, 1, 3);
        Assert.Equal([1, 2, 3], _dispatched);
    }

    [Fact]
    public void Skips_a_gap_once_it_is_old_enough()
    {
        Offer(1, 4, 5);

        Assert.Equal(0, _buffer.SkipGapOlderThan(TimeSpan.FromHours(1), d => _dispatched.Add(d.Sequence)));
        Assert.Equal(2, _buffer.SkipGapOlderThan(TimeSpan.Zero, d => _dispatched.Add(d.Sequence)));
        Assert.Equal([1, 4, 5], _dispatched);

        Offer(2, 3, 6);
        Assert.Equal([1, 4, 5, 6], _dispatched);
    }

    [Fact]
    public void Starts_over_after_a_reset()
    {
        Offer(1, 2);
        _buffer.Reset();
        Offer(1);
        Assert.Equal([1, 2, 1], _dispatched);
    }

    private void Offer(params long[] sequences)
    {
        foreach (var sequence in sequences)
        {
            _buffer.Accept(new ChannelDelivery("app:c", 1, sequence, [], null, null), d => _dispatched.Add(d.Sequence));
        }
    }
}
