namespace SoketiOrleans.Gateway.Channels;

/// <summary>A socket's membership of one channel on this gateway.</summary>
internal sealed record SocketSubscription(LocalChannel Channel, bool IsPresence);
