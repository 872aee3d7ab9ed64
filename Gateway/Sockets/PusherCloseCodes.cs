namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// Pusher's close and error codes. pusher-js reads the range: 4000–4099 do not reconnect,
/// 4100–4199 reconnect with back-off, 4200–4299 reconnect at once, 4300–4399 other errors.
/// </summary>
public static class PusherCloseCodes
{
    public const int AppDoesNotExist = 4001;
    public const int AppDisabled = 4003;
    public const int OverQuota = 4004;
    public const int InvalidVersionFormat = 4006;
    public const int UnsupportedProtocolVersion = 4007;
    public const int Unauthorized = 4009;
    public const int OverCapacity = 4100;
    public const int ReconnectImmediately = 4200;
    public const int PongNotReceived = 4201;
    public const int InvalidMessage = 4300;
    public const int ServerError = 4302;
}
