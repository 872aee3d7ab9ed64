using SoketiOrleans.Gateways;

namespace SoketiOrleans.Channels;

/// <summary>
/// A gateway's whole state in one channel: absolute, so the same report can be sent again to a
/// grain that lost it, and a later one replaces an earlier one. <see cref="SocketCount"/> 0 removes
/// the gateway.
/// </summary>
/// <param name="Registration">
/// Grows each time the gateway starts a new delivery stream for the channel (from 0 sockets to 1,
/// or when a new grain activation asks for its state); a new value restarts the sequence at 1.
/// </param>
/// <param name="Version">Grows with every change on the gateway; a grain never applies an older one over a newer.</param>
/// <param name="Members">A presence channel's sockets with their users; null elsewhere.</param>
[GenerateSerializer, Immutable, Alias("so.ChannelReport")]
public sealed record ChannelReport(
    [property: Id(0)] string GatewayId,
    [property: Id(1)] IGatewayObserver Observer,
    [property: Id(2)] long Registration,
    [property: Id(3)] long Version,
    [property: Id(4)] int SocketCount,
    [property: Id(5)] PresenceSocket[]? Members = null);
