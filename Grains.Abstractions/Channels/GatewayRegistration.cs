namespace SoketiOrleans.Channels;

/// <summary>
/// A gateway's absolute number of local sockets in a channel. Absolute (not a delta) so the same
/// call can be repeated to re-assert state after a grain lost it. A count of 0 removes the gateway.
/// </summary>
/// <param name="Registration">
/// Grows each time the gateway goes from 0 to 1 local socket in the channel; a new value restarts
/// the delivery sequence at 1.
/// </param>
[GenerateSerializer, Immutable, Alias("so.GatewayRegistration")]
public sealed record GatewayRegistration(
    [property: Id(0)] string GatewayId,
    [property: Id(1)] IGatewayObserver Observer,
    [property: Id(2)] long Registration,
    [property: Id(3)] int SocketCount);
