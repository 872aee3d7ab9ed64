namespace SoketiOrleans.Channels;

/// <summary>A cache channel's last event as its subscribers receive it, and how long it stays.</summary>
[GenerateSerializer, Immutable, Alias("so.CachedEvent")]
public sealed record CachedEvent(
    [property: Id(0)] byte[] Frame,
    [property: Id(1)] TimeSpan TimeToLive);
