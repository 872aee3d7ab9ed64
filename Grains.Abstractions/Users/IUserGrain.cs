using SoketiOrleans.Gateways;

namespace SoketiOrleans.Users;

/// <summary>
/// One per (app, user), keyed by <see cref="UserKey"/>: the user's signed-in sockets on every
/// gateway, who watches the user, and the online state of the users it watches.
/// </summary>
[Alias("so.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes the gateway's signed-in sockets of the user. Online from the first socket anywhere,
    /// offline after the last; watchers hear each transition once. Each new socket is sent its
    /// <c>signin_success</c> and, when watched users are online, the watchlist event for them,
    /// both through the server-to-user channel.
    /// </summary>
    Task Report(UserReport report);

    /// <summary>Closes every signed-in socket of the user, on every gateway.</summary>
    Task Terminate();

    /// <summary>The gateway is gone: its sockets sign out.</summary>
    Task Depart(GatewayDeparture departure);

    /// <summary><paramref name="watcherId"/> watches this user from now on; answers whether it is online.</summary>
    Task<WatchedUser> AddWatcher(string watcherId);

    Task RemoveWatcher(string watcherId);

    /// <summary>A watched user came online or went offline. Answered, so the watched user can retry a notice that did not arrive.</summary>
    Task WatchedUserChanged(string userId, WatchedUser state);
}
