using SoketiOrleans.Gateways;

namespace SoketiOrleans.Users;

/// <summary>
/// A gateway's signed-in sockets of one user: absolute, like a channel report. The gateway has
/// already joined each socket, pending, to the user's server-to-user channel.
/// </summary>
[GenerateSerializer, Immutable, Alias("so.UserReport")]
public sealed record UserReport(
    [property: Id(0)] string GatewayId,
    [property: Id(1)] IGatewayObserver Observer,
    [property: Id(2)] long Version,
    [property: Id(3)] UserSocket[] Sockets);

/// <param name="Watchlist">User ids this socket's sign-in asked to watch; the user watches the union over its sockets.</param>
/// <param name="SigninSuccess">
/// The socket's <c>pusher:signin_success</c> while the grain has not yet taken the socket; null
/// once it has (a socket is welcomed once).
/// </param>
[GenerateSerializer, Immutable, Alias("so.UserSocket")]
public sealed record UserSocket(
    [property: Id(0)] string SocketId,
    [property: Id(1)] string[] Watchlist,
    [property: Id(2)] byte[]? SigninSuccess = null);

/// <summary>
/// What one gateway tells a rebuilt user grain: its sockets of the user, its users who watch it, and
/// what the user's sockets there were last told about the users it watches.
/// </summary>
[GenerateSerializer, Immutable, Alias("so.UserState")]
public sealed record UserState(
    [property: Id(0)] UserReport? Report,
    [property: Id(1)] string[] Watchers,
    [property: Id(2)] string[] ToldOnline,
    [property: Id(3)] string[] ToldOffline);
