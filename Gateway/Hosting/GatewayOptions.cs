namespace SoketiOrleans.Gateway.Hosting;

/// <summary>What the gateway takes from the server's configuration.</summary>
/// <param name="PathPrefix">"" or "/something", prepended to every route as soketi does.</param>
/// <param name="UserAuthenticationTimeout">How long a socket of an app with <c>enableUserAuthentication</c> has to sign in.</param>
/// <param name="ChannelCacheTtl">How long a cache channel keeps its last event.</param>
/// <param name="AcceptTrafficMemoryThreshold">Percent of the process's available memory above which <c>/accept-traffic</c> answers 503.</param>
/// <param name="Cors">The CORS headers of the HTTP responses.</param>
public sealed record GatewayOptions(
    string PathPrefix,
    PusherSocketOptions WebSockets,
    long HttpRequestLimitBytes,
    TimeSpan UserAuthenticationTimeout,
    TimeSpan ChannelCacheTtl,
    DrainOptions Drain,
    double AcceptTrafficMemoryThreshold,
    CorsOptions Cors);

/// <param name="ActivityTimeout">Sent to clients as <c>activity_timeout</c>; also how long a silent socket waits for a server ping.</param>
/// <param name="PongTimeout">How long a pinged socket has to answer before it is closed with 4201.</param>
/// <param name="MaxBackpressureBytes">Bytes queued for one socket before it is closed as a slow consumer.</param>
/// <param name="MaxChannelsPerSocket">Channels one socket may be subscribed to at once; a subscription beyond is refused.</param>
/// <param name="MaxConnectionsPerAddressPerSecond">New connections one client address may open a second (<see cref="Quotas.ConnectsPerAddress"/>); 0 is no limit.</param>
public sealed record PusherSocketOptions(
    TimeSpan ActivityTimeout, TimeSpan PongTimeout, long MaxBackpressureBytes, int MaxChannelsPerSocket, int MaxConnectionsPerAddressPerSecond = 0);

/// <param name="Delay">From the stop signal (when <c>/ready</c> turns 503) to the first socket told 4200.</param>
/// <param name="Spread">Over how long the open sockets are told 4200 (soketi's shutdown grace period).</param>
public sealed record DrainOptions(TimeSpan Delay, TimeSpan Spread);
