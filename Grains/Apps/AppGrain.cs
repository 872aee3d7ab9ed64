using SoketiOrleans.Apps;

namespace SoketiOrleans.Grains.Apps;

/// <summary>An app's occupied channels with their counts, reported by the channel and presence grains.</summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class AppGrain : Grain, IAppGrain
{
    private readonly Dictionary<string, (int Subscriptions, int Users)> _channels = new(StringComparer.Ordinal);

    public Task SetSubscriptionCount(string channel, int count)
    {
        if (count > 0)
        {
            _channels[channel] = (count, _channels.GetValueOrDefault(channel).Users);
        }
        else
        {
            _channels.Remove(channel);
        }

        KeepWhileOccupied();
        return Task.CompletedTask;
    }

    public Task SetUserCount(string channel, int count)
    {
        // Users exist only with subscriptions; a count for a channel already gone is a late echo.
        if (_channels.TryGetValue(channel, out var counts))
        {
            _channels[channel] = (counts.Subscriptions, count);
        }

        return Task.CompletedTask;
    }

    public Task<ChannelSummary[]> Channels(string? prefix) => Task.FromResult(_channels
        .Where(c => prefix is null || c.Key.StartsWith(prefix, StringComparison.Ordinal))
        .Select(c => new ChannelSummary(c.Key, c.Value.Subscriptions, c.Value.Users))
        .ToArray());

    private void KeepWhileOccupied() => DelayDeactivation(_channels.Count > 0 ? TimeSpan.MaxValue : TimeSpan.Zero);
}
