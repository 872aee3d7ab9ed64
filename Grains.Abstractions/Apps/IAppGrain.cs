namespace SoketiOrleans.Apps;

/// <summary>
/// One per app: the index of its occupied channels, kept current by the channel and presence
/// grains, so listing channels never asks every node.
/// </summary>
[Alias("so.IAppGrain")]
public interface IAppGrain : IGrainWithStringKey
{
    Task SetSubscriptionCount(string channel, int count);

    Task SetUserCount(string channel, int count);

    [ReadOnly]
    Task<ChannelSummary[]> Channels(string? prefix);
}
