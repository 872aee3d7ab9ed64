using SoketiOrleans.Apps;
using SoketiOrleans.Grains.Gateways;

namespace SoketiOrleans.Grains.Apps;

/// <summary>
/// An app's occupied channels with their counts, reported by the channel grains. A new activation
/// sums what every live gateway holds, so an index lost with its silo is whole again at once.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class AppGrain(LiveGateways gateways) : Grain, IAppGrain
{
    private readonly Dictionary<string, (int Subscriptions, int Users)> _channels = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var shares = await gateways.Ask(link => link.Channels(this.GetPrimaryKeyString()), gateway => gateway.Channels(this.GetPrimaryKeyString()));
        foreach (var channel in shares.GroupBy(s => s.Channel))
        {
            _channels[channel.Key] = (channel.Sum(s => s.SocketCount), channel.SelectMany(s => s.UserIds).Distinct(StringComparer.Ordinal).Count());
        }

        KeepWhileOccupied();
    }

    public Task SetChannel(string channel, int subscriptionCount, int userCount)
    {
        if (subscriptionCount > 0)
        {
            _channels[channel] = (subscriptionCount, userCount);
        }
        else
        {
            _channels.Remove(channel);
        }

        KeepWhileOccupied();
        return Task.CompletedTask;
    }

    public Task<ChannelSummary[]> Channels(string? prefix) => Task.FromResult(_channels
        .Where(c => prefix is null || c.Key.StartsWith(prefix, StringComparison.Ordinal))
        .Select(c => new ChannelSummary(c.Key, c.Value.Subscriptions, c.Value.Users))
        .ToArray());

    private void KeepWhileOccupied() => DelayDeactivation(_channels.Count > 0 ? TimeSpan.MaxValue : TimeSpan.Zero);
}
