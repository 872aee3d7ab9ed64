namespace SoketiOrleans.Apps;

/// <summary>One gateway's part of one occupied channel, summed by a rebuilt app index.</summary>
/// <param name="UserIds">The presence members among the gateway's sockets; empty for other channels.</param>
[GenerateSerializer, Immutable, Alias("so.ChannelShare")]
public sealed record ChannelShare(
    [property: Id(0)] string Channel,
    [property: Id(1)] int SocketCount,
    [property: Id(2)] string[] UserIds);
