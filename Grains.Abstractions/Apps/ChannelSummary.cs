namespace SoketiOrleans.Apps;

[GenerateSerializer, Immutable, Alias("so.ChannelSummary")]
public sealed record ChannelSummary(
    [property: Id(0)] string Name,
    [property: Id(1)] int SubscriptionCount,
    [property: Id(2)] int UserCount);
