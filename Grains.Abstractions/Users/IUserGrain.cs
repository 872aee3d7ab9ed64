namespace SoketiOrleans.Users;

/// <summary>
/// One per (app, user), keyed by <see cref="UserKey"/>: the user's signed-in sockets on every
/// gateway, who watches the user, and the online state of the users it watches.
/// </summary>
[Alias("so.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the socket; when it is the user's first, tells the watchers the user is online.
    /// Then sends the socket its <c>signin_success</c> and, when watched users are online, the
    /// initial watchlist event, both through the server-to-user channel.
    /// </summary>
    Task SignIn(UserSignIn signIn);

    /// <summary>Forgets the socket; after the user's last one, tells the watchers it is offline.</summary>
    Task SignOut(string gatewayId, string socketId);

    /// <summary>Closes every signed-in socket of the user, on every gateway.</summary>
    Task Terminate();

    // AlwaysInterleave with synchronous bodies: two users who watch each other may sign in at once,
    // each waiting on the other; these must not queue behind that wait.

    /// <summary><paramref name="watcherId"/> watches this user from now on; answers whether it is online.</summary>
    [AlwaysInterleave]
    Task<WatchedUser> AddWatcher(string watcherId);

    [AlwaysInterleave]
    Task RemoveWatcher(string watcherId);

    /// <summary>A watched user came online or went offline.</summary>
    [OneWay]
    Task WatchedUserChanged(string userId, WatchedUser state);
}
