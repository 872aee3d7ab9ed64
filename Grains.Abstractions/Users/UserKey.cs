using SoketiOrleans.Channels;

namespace SoketiOrleans.Users;

/// <summary>
/// The grain key of one user of one app: <c>{appId}:{userId}</c>, split like a
/// <see cref="ChannelKey"/> at the first ':' because app ids never hold one and user ids may.
/// </summary>
public static class UserKey
{
    public static string Format(string appId, string userId) => ChannelKey.Format(appId, userId);

    public static (string AppId, string UserId) Parse(string key) => ChannelKey.Parse(key);
}
