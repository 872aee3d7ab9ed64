using System.Collections.Concurrent;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateway.Users;

/// <summary>user → this gateway's signed-in sockets of that user.</summary>
public sealed class LocalUsers(ICluster cluster, GatewayIdentity gateway, Reassertion.Reassertion reassertion)
{
    /// <summary>How long a sign-in waits for the user grain (it is retried meanwhile).</summary>
    public static readonly TimeSpan SignInTimeout = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, LocalUser> _users = new(StringComparer.Ordinal);

    /// <summary>Waits until the user grain has the socket; throws when it could not be reached in time (the socket is then taken out again).</summary>
    internal async Task SignIn(string appId, string userId, string socketId, string[] watchlist, byte[] signinSuccess)
    {
        while (true)
        {
            var user = _users.GetOrAdd(UserKey.Format(appId, userId), _ => new LocalUser(appId, userId, this, gateway, cluster, reassertion));
            if (user.SignIn(socketId, watchlist, signinSuccess) is { } signedIn)
            {
                try
                {
                    await signedIn.WaitAsync(SignInTimeout);
                    return;
                }
                catch
                {
                    user.SignOut(socketId);
                    throw;
                }
            }
        }
    }

    internal void SignOut(string appId, string userId, string socketId)
    {
        if (_users.TryGetValue(UserKey.Format(appId, userId), out var user))
        {
            user.SignOut(socketId);
        }
    }

    /// <summary>A watchlist event was delivered to the user's sockets here (through its server-to-user channel).</summary>
    internal void Told(string appId, string userId, WatchlistNotice notice) =>
        _users.GetValueOrDefault(UserKey.Format(appId, userId))?.Told(notice);

    /// <summary>For a new activation of the user grain: its sockets here, the users here who watch it, and what its sockets were told.</summary>
    internal UserState? ForNewActivation(string userKey)
    {
        var (appId, userId) = UserKey.Parse(userKey);
        var (report, online, offline) = _users.GetValueOrDefault(userKey)?.ForNewActivation() ?? (null, [], []);
        var watchers = _users.Values.Where(u => u.AppId == appId && u.UserId != userId && u.Watches(userId)).Select(u => u.UserId).ToArray();
        return report is null && watchers.Length == 0 ? null : new UserState(report, watchers, online, offline);
    }

    internal void Remove(LocalUser user) => _users.TryRemove(KeyValuePair.Create(user.Key, user));
}
