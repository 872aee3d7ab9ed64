namespace SoketiOrleans.Users;

/// <summary>
/// What a watchlist event tells a user's sockets: these watched users are online, or offline. It
/// travels beside the serialized frame so the gateway knows what its sockets were told, which is
/// what a rebuilt user grain compares against (and tells only what changed).
/// </summary>
[GenerateSerializer, Immutable, Alias("so.WatchlistNotice")]
public sealed record WatchlistNotice(
    [property: Id(0)] bool Online,
    [property: Id(1)] string[] UserIds)
{
    public byte[] Frame() => Protocol.WatchlistFrames.Frame(Online ? "online" : "offline", UserIds);
}
