namespace SoketiOrleans.Channels;

/// <summary>A serialized Pusher frame for every subscriber of a channel but one socket.</summary>
/// <param name="CacheFor">
/// Set for the events of cache channels: the channel keeps the frame this long and replays it to
/// new subscribers. Null for frames that are not the channel's events (e.g. member events).
/// </param>
[GenerateSerializer, Immutable, Alias("so.Publication")]
public sealed record Publication(
    [property: Id(0)] byte[] Frame,
    [property: Id(1)] string? ExceptSocketId,
    [property: Id(2)] TimeSpan? CacheFor = null);
