using SoketiOrleans.Apps;

namespace SoketiOrleans.Gateway.Protocol;

/// <summary>
/// The <c>auth</c> of a private or presence subscription: <c>key:HMAC(secret, socket_id:channel[:channel_data])</c>.
/// </summary>
public static class ChannelAuthorization
{
    public static bool IsValid(App app, string socketId, string channel, string? channelData, string? auth) =>
        AppSignature.Matches(app, channelData is null ? $"{socketId}:{channel}" : $"{socketId}:{channel}:{channelData}", auth);
}
