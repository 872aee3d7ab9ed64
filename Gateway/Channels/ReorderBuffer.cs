using SoketiOrleans.Channels;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>
/// Restores a channel stream's order: passes deliveries on by sequence, holds early ones until the
/// gap fills, drops repeats. A gap that does not fill (a lost message) is skipped after a while so
/// the channel never stalls. Not thread-safe: the owning channel's lock guards it.
/// </summary>
internal sealed class ReorderBuffer
{
    private const int MaxHeld = 1024;

    // Made at the first early delivery: in order, nothing is held, and most channels never see one.
    private SortedDictionary<long, ChannelDelivery>? _held;
    private long _next = 1;
    private long _gapSince;

    public bool HasGap => _held is { Count: > 0 };

    public void Reset()
    {
        _next = 1;
        _held = null;
    }

    /// <summary>
    /// Passes on everything held, in order, skipping the gaps, then starts over: the stream is being
    /// replaced by a new one (its grain was re-activated), so the gaps will never fill.
    /// </summary>
    public void Flush(Action<ChannelDelivery> dispatch)
    {
        while (HasGap)
        {
            SkipGap(dispatch);
        }

        Reset();
    }

    public void Accept(ChannelDelivery delivery, Action<ChannelDelivery> dispatch)
    {
        if (delivery.Sequence < _next)
        {
            return;
        }

        if (delivery.Sequence > _next)
        {
            if (!HasGap)
            {
                _gapSince = Environment.TickCount64;
            }

            _held ??= [];
            _held.TryAdd(delivery.Sequence, delivery);
            if (_held.Count > MaxHeld)
            {
                SkipGap(dispatch);
            }

            return;
        }

        dispatch(delivery);
        _next++;
        Drain(dispatch);
    }

    /// <returns>The number of sequence numbers given up, 0 when there was no old enough gap.</returns>
    public long SkipGapOlderThan(TimeSpan age, Action<ChannelDelivery> dispatch) =>
        HasGap && Environment.TickCount64 - _gapSince >= age.TotalMilliseconds ? SkipGap(dispatch) : 0;

    private long SkipGap(Action<ChannelDelivery> dispatch)
    {
        var first = _held!.Keys.First();
        var skipped = first - _next;
        _next = first;
        Drain(dispatch);
        _gapSince = Environment.TickCount64;
        return skipped;
    }

    private void Drain(Action<ChannelDelivery> dispatch)
    {
        while (_held is not null && _held.Remove(_next, out var held))
        {
            dispatch(held);
            _next++;
        }
    }
}
