using SoketiOrleans.Gateway.Apps;
using SoketiOrleans.Gateway.Webhooks;

namespace SoketiOrleans.Gateway.Configuration;

/// <summary>Everything the server reads at start-up, validated.</summary>
public sealed record SoketiOptions
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public bool Debug { get; init; }

    /// <summary>"" or "/something", prepended to every route as soketi does.</summary>
    public string PathPrefix { get; init; } = "";

    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(3);

    public required WebSocketOptions WebSockets { get; init; }

    public long HttpRequestLimitBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>How long a socket of an app with <c>enableUserAuthentication</c> has to sign in.</summary>
    public TimeSpan UserAuthenticationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a cache channel keeps its last event.</summary>
    public TimeSpan ChannelCacheTtl { get; init; } = TimeSpan.FromMinutes(30);

    public required OrleansOptions Orleans { get; init; }

    public WebhookOptions Webhooks { get; init; } = WebhookOptions.Defaults;

    public required IReadOnlyList<App> Apps { get; init; }

    /// <summary>Options that were set but have no effect in this build; logged at start-up.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <param name="ActivityTimeout">Sent to clients as <c>activity_timeout</c>; also how long a silent socket waits for a server ping.</param>
/// <param name="PongTimeout">How long a pinged socket has to answer before it is closed with 4201.</param>
/// <param name="MaxBackpressureBytes">Bytes queued for one socket before it is closed as a slow consumer.</param>
public sealed record WebSocketOptions(TimeSpan ActivityTimeout, TimeSpan PongTimeout, long MaxBackpressureBytes);

/// <param name="SiloPort">0 picks a free port.</param>
/// <param name="PrimarySiloPort">0 makes this process the primary; otherwise the loopback port of the primary silo to join.</param>
public sealed record OrleansOptions(int SiloPort, int PrimarySiloPort, string ClusterId, string ServiceId);
