using StackExchange.Redis;

namespace SoketiOrleans.Silo.Redis;

/// <summary>
/// Says once, loudly, that Redis was lost, and once that it is back: nothing stops serving
/// meanwhile (membership changes and webhook writes wait), so operators must hear of it without a
/// line per event. The connection re-establishes itself.
/// </summary>
internal sealed partial class RedisConnectionLog(ILogger<RedisConnectionLog> logger)
{
    private int _lost;

    public void Watch(IConnectionMultiplexer connection)
    {
        connection.ConnectionFailed += (_, e) =>
        {
            if (Interlocked.Exchange(ref _lost, 1) == 0)
            {
                LogLost(logger, e.EndPoint?.ToString() ?? "?", e.FailureType, e.Exception);
            }
        };
        connection.ConnectionRestored += (_, e) =>
        {
            if (Interlocked.Exchange(ref _lost, 0) == 1)
            {
                LogRestored(logger, e.EndPoint?.ToString() ?? "?");
            }
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Lost the connection to Redis at {EndPoint} ({Failure}); still serving every connected client, retrying in the background")]
    private static partial void LogLost(ILogger logger, string endPoint, ConnectionFailureType failure, Exception? exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconnected to Redis at {EndPoint}")]
    private static partial void LogRestored(ILogger logger, string endPoint);
}
