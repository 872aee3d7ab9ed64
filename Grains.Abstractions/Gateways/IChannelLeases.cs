namespace SoketiOrleans.Gateways;

/// <summary>
/// Implemented by a gateway for channel grains in its own process. While a channel's only gateway
/// holds its lease, that gateway delivers the channel's events to its sockets itself instead of
/// through the grain: with one gateway there is one order, whoever makes it. The grain takes the
/// lease back before a second gateway joins, so from then on the grain orders every event again.
/// Calls are synchronous, made in the grain's turn: a revocation is in force when it returns.
/// </summary>
public interface IChannelLeases
{
    void Grant(string channelKey);

    void Revoke(string channelKey);
}
