namespace SoketiOrleans.Presence;

/// <param name="UserInfoJson">The raw JSON of <c>user_info</c>, or null when the auth gave none.</param>
/// <param name="MaxMembers">The app's <c>maxPresenceMembersPerChannel</c>; negative means no limit.</param>
[GenerateSerializer, Immutable, Alias("so.PresenceJoin")]
public sealed record PresenceJoin(
    [property: Id(0)] string GatewayId,
    [property: Id(1)] string SocketId,
    [property: Id(2)] string UserId,
    [property: Id(3)] string? UserInfoJson,
    [property: Id(4)] int MaxMembers = -1);
