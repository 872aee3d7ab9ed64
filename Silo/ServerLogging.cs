using Microsoft.Extensions.Logging.Console;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo;

/// <summary>
/// One line per event on the console, quiet in steady state: Orleans, ASP.NET Core and their libraries only speak up
/// about problems; <c>debug</c> turns this server's own categories to Debug.
/// </summary>
internal static partial class ServerLogging
{
    /// <param name="json">One JSON object per line (timestamp, level, category, message and its structured fields), for log shippers.</param>
    public static void Configure(ILoggingBuilder logging, bool debug, bool json)
    {
        logging.ClearProviders();
        if (json)
        {
            logging.AddJsonConsole(console =>
            {
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                console.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
                console.UseUtcTimestamp = true;
            });
        }

        // When whoever reads the output falls behind (a busy pipe, a slow log shipper), lines are
        // dropped rather than every thread that logs, grains included, waiting for the console.
        logging.Services.Configure<ConsoleLoggerOptions>(console => console.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite);
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("SoketiOrleans", debug ? LogLevel.Debug : LogLevel.Information);

        // Its first check after start-up always reports a stall of however long the machine has been up.
        logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);

        // When a silo dies, Orleans' placement retries log every attempt with a stack trace; its
        // membership and connection warnings already say what happened, once.
        logging.AddFilter("Polly", LogLevel.Critical);

        // Raft logs every failed exchange with an unreachable member, with a stack trace, several
        // times a second until the member is removed; this server logs the loss and the removal once.
        logging.AddFilter("DotNext", LogLevel.Error);

        // The grain-service base class logs its ring range at every start and membership change.
        logging.AddFilter("SoketiOrleans.Grains.Gateways.GatewayLink", LogLevel.Warning);
    }

    public static void Started(WebApplication app, SoketiOptions options)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SoketiOrleans");
        foreach (var warning in options.Warnings)
        {
            LogOptionIgnored(logger, warning);
        }

        var adapter = options.Redis is not null ? "redis" : options.Discovery is not null ? "cluster" : "local";
        var role = options.Role.ToString().ToLowerInvariant();
        app.Lifetime.ApplicationStarted.Register(() => LogListening(logger, options.Host, options.Port, adapter, role, options.Apps.Count));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SoketiOrleans is listening on {Host}:{Port} (adapter {Adapter}, mode {Mode}, {AppCount} apps)")]
    private static partial void LogListening(ILogger logger, string host, int port, string adapter, string mode, int appCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogOptionIgnored(ILogger logger, string warning);
}
