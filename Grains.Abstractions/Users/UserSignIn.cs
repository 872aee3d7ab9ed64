using SoketiOrleans.Channels;

namespace SoketiOrleans.Users;

/// <summary>
/// A socket that proved it is the user. The gateway has already joined it, pending, to the user's
/// server-to-user channel; the grain activates it there with <see cref="SigninSuccess"/>.
/// </summary>
/// <param name="Watchlist">User ids whose online state the user follows; replaces the previous list.</param>
[GenerateSerializer, Immutable, Alias("so.UserSignIn")]
public sealed record UserSignIn(
    [property: Id(0)] string GatewayId,
    [property: Id(1)] IGatewayObserver Observer,
    [property: Id(2)] string SocketId,
    [property: Id(3)] string[] Watchlist,
    [property: Id(4)] byte[] SigninSuccess);
