namespace SoketiOrleans.Gateway.Channels;

/// <summary>A socket's membership of one channel on this gateway.</summary>
/// <param name="PresenceUserId">The member the socket joined a presence channel as; null elsewhere.</param>
internal sealed record SocketSubscription(LocalChannel Channel, string? PresenceUserId)
{
    public bool IsPresence => PresenceUserId is not null;
}
