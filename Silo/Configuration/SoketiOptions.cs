using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Grains.Hosting;
using SoketiOrleans.Grains.Webhooks;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>Everything the server reads at start-up, validated; the gateway and the grains each take their slice.</summary>
public sealed record SoketiOptions
{
    public ServerRole Role { get; init; } = ServerRole.Full;

    /// <summary>Set in <c>redis</c> mode; null otherwise.</summary>
    public RedisOptions? Redis { get; init; }

    /// <summary>Set in <c>cluster</c> mode (processes find each other over UDP); null otherwise.</summary>
    public DiscoveryOptions? Discovery { get; init; }

    public required string Host { get; init; }

    public required int Port { get; init; }

    /// <summary>Set when the port serves TLS (soketi's <c>ssl.*</c>); null for plain HTTP.</summary>
    public TlsOptions? Tls { get; init; }

    public bool Debug { get; init; }

    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>From the stop signal to the first socket told to reconnect elsewhere.</summary>
    public TimeSpan ShutdownDrainDelay { get; init; }

    /// <summary>Log lines as JSON objects instead of text.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>Connections are served by the server's event loops (Linux x86-64), not Kestrel's socket transport.</summary>
    public bool EventLoops { get; init; }

    public MetricsOptions Metrics { get; init; } = MetricsOptions.Defaults;

    public required GatewayOptions Gateway { get; init; }

    public required OrleansOptions Orleans { get; init; }

    public WebhookOptions Webhooks { get; init; } = WebhookOptions.Defaults;

    public required IReadOnlyList<App> Apps { get; init; }

    /// <summary>Options that were set but have no effect in this build; logged at start-up.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public GrainsOptions Grains => new(Apps, Webhooks, ShutdownGracePeriod);
}

/// <param name="Enabled">Serve <c>/metrics</c>; the metrics port is opened only then.</param>
/// <param name="Prefix">Prepended to soketi's metric names and this server's own.</param>
public sealed record MetricsOptions(bool Enabled, string Host, int Port, string Prefix)
{
    public static readonly MetricsOptions Defaults = new(false, "0.0.0.0", 9601, "soketi_");
}

/// <summary>soketi's <c>mode</c>: which halves of the server this process runs.</summary>
public enum ServerRole
{
    /// <summary>A silo (grains, webhook sending) and the gateway (WebSockets, HTTP API) in one process.</summary>
    Full,

    /// <summary>The gateway alone, as an Orleans client of the silos it finds through Redis.</summary>
    Server,

    /// <summary>A silo alone; its HTTP port answers only the health checks.</summary>
    Worker,
}

/// <param name="SiloPort">0 picks a free port.</param>
/// <param name="PrimarySiloPort">0 makes this process the primary; otherwise the loopback port of the primary silo to join (<c>local</c> mode).</param>
/// <param name="GatewayPort">Where Orleans clients (<c>server</c> processes) connect, in <c>redis</c> mode; 0 picks a free port.</param>
public sealed record OrleansOptions(int SiloPort, int PrimarySiloPort, int GatewayPort, string ClusterId, string ServiceId);
