namespace SoketiOrleans.Channels;

/// <summary>A serialized Pusher frame for every subscriber of a channel but one socket.</summary>
[GenerateSerializer, Immutable, Alias("so.Publication")]
public sealed record Publication(
    [property: Id(0)] byte[] Frame,
    [property: Id(1)] string? ExceptSocketId);
