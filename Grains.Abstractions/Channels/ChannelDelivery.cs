using SoketiOrleans.Users;

namespace SoketiOrleans.Channels;

/// <summary>
/// One frame for one gateway's sockets in one channel. <see cref="Sequence"/> counts from 1 per
/// (channel, gateway, <see cref="Registration"/>) without gaps, so the gateway can restore the
/// grain's order and drop what belongs to an older registration.
/// </summary>
/// <param name="WelcomeSocketId">
/// When set, the frame is for that socket only and makes it a full subscriber from this point of
/// the channel's stream on (presence snapshots travel this way so they are ordered with member
/// events).
/// </param>
/// <param name="PublishId">The publication's id when it may arrive twice (see <see cref="Publication.PublishId"/>); else 0.</param>
/// <param name="Watchlist">What a watchlist event's frame says (see <see cref="Publication.Watchlist"/>).</param>
[GenerateSerializer, Immutable, Alias("so.ChannelDelivery")]
public sealed record ChannelDelivery(
    [property: Id(0)] string ChannelKey,
    [property: Id(1)] long Registration,
    [property: Id(2)] long Sequence,
    [property: Id(3)] byte[] Frame,
    [property: Id(4)] string? ExceptSocketId,
    [property: Id(5)] string? WelcomeSocketId,
    [property: Id(6)] long PublishId = 0,
    [property: Id(7)] WatchlistNotice? Watchlist = null);
