using SoketiOrleans.Users;

namespace SoketiOrleans.Channels;

/// <summary>A serialized Pusher frame for every subscriber of a channel but one socket.</summary>
/// <param name="CacheFor">
/// Set for the events of cache channels: the channel keeps the frame this long and replays it to
/// new subscribers. Null for frames that are not the channel's events.
/// </param>
/// <param name="PublishId">
/// Non-zero for publications that may be retried (HTTP API events): gateways drop a second copy, so
/// a retry after a silo failure never delivers an event twice.
/// </param>
/// <param name="Watchlist">For a watchlist event, what its frame says (the gateway keeps what its sockets were told).</param>
/// <param name="Confirmed">
/// Answer only once every gateway in another process has the frame: an acknowledged HTTP publish is
/// then never lost with the grain's silo. Client events go without.
/// </param>
[GenerateSerializer, Immutable, Alias("so.Publication")]
public sealed record Publication(
    [property: Id(0)] byte[] Frame,
    [property: Id(1)] string? ExceptSocketId,
    [property: Id(2)] TimeSpan? CacheFor = null,
    [property: Id(3)] long PublishId = 0,
    [property: Id(4)] bool Confirmed = false,
    [property: Id(5)] WatchlistNotice? Watchlist = null);
