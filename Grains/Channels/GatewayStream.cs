using SoketiOrleans.Channels;

namespace SoketiOrleans.Grains.Channels;

/// <summary>The channel's ordered stream to one gateway: its observer and next sequence number.</summary>
internal sealed class GatewayStream(GatewayRegistration registration)
{
    private IGatewayObserver _observer = registration.Observer;
    private long _nextSequence = 1;

    public long Registration { get; private set; } = registration.Registration;

    public int SocketCount { get; private set; } = registration.SocketCount;

    public void Renew(GatewayRegistration renewed)
    {
        if (renewed.Registration != Registration)
        {
            Registration = renewed.Registration;
            _nextSequence = 1;
        }

        _observer = renewed.Observer;
        SocketCount = renewed.SocketCount;
    }

    public void Send(string channelKey, byte[] frame, string? exceptSocketId, string? welcomeSocketId) =>
        _ = _observer.Deliver(new ChannelDelivery(
            channelKey, Registration, _nextSequence++, frame, exceptSocketId, welcomeSocketId));
}
