using SoketiOrleans.Gateway.Apps;

namespace SoketiOrleans.Gateway.Protocol;

/// <summary>
/// The <c>auth</c> of a private or presence subscription: <c>key:HMAC(secret, socket_id:channel[:channel_data])</c>.
/// </summary>
public static class ChannelAuthorization
{
    public static bool IsValid(App app, string socketId, string channel, string? channelData, string? auth)
    {
        if (auth is null)
        {
            return false;
        }

        var colon = auth.IndexOf(':');
        if (colon < 0 || !auth.AsSpan(0, colon).SequenceEqual(app.Key))
        {
            return false;
        }

        var signed = channelData is null ? $"{socketId}:{channel}" : $"{socketId}:{channel}:{channelData}";
        return HmacSignature.Matches(app.Secret, signed, auth.AsSpan(colon + 1));
    }
}
