namespace SoketiOrleans.Channels;

/// <summary>A socket in a presence channel and the member its auth vouches for.</summary>
/// <param name="UserInfoJson">The raw JSON of <c>user_info</c>, or null when the auth gave none.</param>
[GenerateSerializer, Immutable, Alias("so.PresenceSocket")]
public sealed record PresenceSocket(
    [property: Id(0)] string SocketId,
    [property: Id(1)] string UserId,
    [property: Id(2)] string? UserInfoJson = null);
