using System.Net;
using Microsoft.AspNetCore.Connections;

namespace SoketiOrleans.Silo.Transport;

/// <summary>
/// Kestrel's transport for TCP ports on Linux x86-64 (registered only there, <see cref="Linux.Available"/>,
/// with its <see cref="LoopFronts"/>): one <see cref="EventLoop"/> per core (at most 16, as Kestrel's
/// I/O queues), connections given to them in turn. Other endpoints keep Kestrel's socket transport.
/// </summary>
internal sealed class LoopTransport(ILoggerFactory loggers, LoopFronts fronts) : IConnectionListenerFactory, IConnectionListenerFactorySelector, IDisposable
{
    private readonly Lock _starting = new();
    private EventLoop[]? _loops;
    private uint _next;

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var loops = Loops();
        return ValueTask.FromResult<IConnectionListener>(new LoopListener((IPEndPoint)endpoint,
            () => loops[(int)(Interlocked.Increment(ref _next) % (uint)loops.Length)], fronts.For(endpoint), loggers.CreateLogger<LoopListener>()));
    }

    private EventLoop[] Loops()
    {
        lock (_starting)
        {
            var logger = loggers.CreateLogger<EventLoop>();
            return _loops ??= Enumerable.Range(0, Math.Min(Environment.ProcessorCount, 16)).Select(i => new EventLoop(i, logger)).ToArray();
        }
    }

    public void Dispose()
    {
        foreach (var loop in _loops ?? [])
        {
            loop.Dispose();
        }
    }
}
