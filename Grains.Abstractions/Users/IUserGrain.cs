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
    /// Then sends the socket its <c>signin_success</c> and, when watched users are known to be
    /// online, the watchlist event for them, both through the server-to-user channel. Users newly
    /// added to the watchlist answer later; those online are then announced on that channel.
    /// </summary>
    Task SignIn(UserSignIn signIn);

    /// <summary>Forgets the socket; after the user's last one, tells the watchers it is offline.</summary>
    Task SignOut(string gatewayId, string socketId);

    /// <summary>Closes every signed-in socket of the user, on every gateway.</summary>
    Task Terminate();

    /// <summary><paramref name="watcherId"/> watches this user from now on; answers whether it is online.</summary>
    Task<WatchedUser> AddWatcher(string watcherId);

    Task RemoveWatcher(string watcherId);

    /// <summary>A watched user came online or went offline.</summary>
    [OneWay]
    Task WatchedUserChanged(string userId, WatchedUser state);
}
