using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo;

/// <summary>
/// One line per event on the console, quiet in steady state: Orleans, ASP.NET Core and their libraries only speak up
/// about problems; <c>debug</c> turns this server's own categories to Debug.
/// </summary>
internal static partial class ServerLogging
{
    public static void Configure(ILoggingBuilder logging, bool debug)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
            console.UseUtcTimestamp = true;
        });
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("SoketiOrleans", debug ? LogLevel.Debug : LogLevel.Information);

        // Its first check after start-up always reports a stall of however long the machine has been up.
        logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
    }

    public static void Started(WebApplication app, SoketiOptions options)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SoketiOrleans");
        foreach (var warning in options.Warnings)
        {
            LogOptionIgnored(logger, warning);
        }

        app.Lifetime.ApplicationStarted.Register(() => LogListening(logger, options.Host, options.Port, options.Apps.Count));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SoketiOrleans is listening on {Host}:{Port} (mode local, {AppCount} apps)")]
    private static partial void LogListening(ILogger logger, string host, int port, int appCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogOptionIgnored(ILogger logger, string warning);
}
