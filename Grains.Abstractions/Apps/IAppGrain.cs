namespace SoketiOrleans.Apps;

/// <summary>
/// One per app: the index of its occupied channels, kept current by the channel grains, so listing
/// channels never asks every node. A new activation is rebuilt from the gateways' shares.
/// </summary>
[Alias("so.IAppGrain")]
public interface IAppGrain : IGrainWithStringKey
{
    /// <summary>The channel's counts for the whole cluster; a subscription count of 0 removes it.</summary>
    Task SetChannel(string channel, int subscriptionCount, int userCount);

    [ReadOnly]
    Task<ChannelSummary[]> Channels(string? prefix);
}
