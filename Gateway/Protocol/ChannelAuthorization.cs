using SoketiOrleans.Apps;

namespace SoketiOrleans.Gateway.Protocol;

/// <summary>
/// The <c>auth</c> of a private or presence subscription: <c>key:HMAC(secret, socket_id:channel[:channel_data])</c>.
/// </summary>
public static class ChannelAuthorization
{
    public static bool IsValid(App app, string socketId, string channel, string? channelData, string? auth) =>
        AppSignature.Matches(app, Signed(socketId, channel, channelData), auth);

    /// <summary>The <c>auth</c> the app's server would give this socket (the start-up warm-up's client).</summary>
    public static string Sign(App app, string socketId, string channel, string? channelData) =>
        AppSignature.Sign(app, Signed(socketId, channel, channelData));

    private static string Signed(string socketId, string channel, string? channelData) =>
        channelData is null ? $"{socketId}:{channel}" : $"{socketId}:{channel}:{channelData}";
}
