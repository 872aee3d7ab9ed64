namespace SoketiOrleans.Users;

/// <summary>
/// <c>#server-to-user-{id}</c>: the channel a signed-in socket is in for events sent to its user
/// (the HTTP API's <c>sendToUser</c>) and for its watchlist events.
/// </summary>
public static class ServerToUserChannel
{
    public const string Prefix = "#server-to-user-";

    public static string For(string userId) => Prefix + userId;

    /// <returns>The user id of a server-to-user channel name; null for any other name.</returns>
    public static string? UserIdOf(string channel) =>
        channel.Length > Prefix.Length && channel.StartsWith(Prefix, StringComparison.Ordinal) ? channel[Prefix.Length..] : null;
}
