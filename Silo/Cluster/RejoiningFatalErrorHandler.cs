namespace SoketiOrleans.Silo.Cluster;

/// <summary>
/// In <c>cluster</c> mode a silo that learns it was declared dead (it was cut off from the majority,
/// which moved on without it) ends this incarnation instead of the process: the process starts again
/// as a new node and rejoins, where Orleans' own handler would exit and leave that to a supervisor.
/// </summary>
internal sealed partial class RejoiningFatalErrorHandler(ClusterRejoin rejoin, IHostApplicationLifetime lifetime, ILogger<RejoiningFatalErrorHandler> logger)
    : IFatalErrorHandler
{
    public bool IsUnexpected(Exception exception) => exception is not ThreadAbortException;

    public void OnFatalException(object? sender, string? context, Exception? exception)
    {
        LogFatal(logger, exception, context);
        if (rejoin.Request(context ?? exception?.Message ?? "fatal error"))
        {
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Cluster: this silo cannot go on ({Context}); the node stops serving and rejoins as a new node")]
    private static partial void LogFatal(ILogger logger, Exception? exception, string? context);
}
