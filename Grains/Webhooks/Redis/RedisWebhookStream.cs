using Microsoft.Extensions.Logging;
using SoketiOrleans.Grains.Redis;

namespace SoketiOrleans.Grains.Webhooks.Redis;

/// <summary>
/// One destination's part of the queue on this node: the writer starts with the first event raised
/// or batch asked for; the lease is contended for only once this node asks for a batch, so a node
/// that only raises events never becomes a destination's sender.
/// </summary>
internal sealed class RedisWebhookStream
{
    private readonly RedisWebhookLease _lease;
    private readonly CancellationToken _stopping;
    private readonly Lock _gate = new();
    private Task? _writing;
    private Task? _leasing;

    public RedisWebhookStream(
        RedisStore store,
        WebhookDestination destination,
        string node,
        RedisWebhookTimes times,
        TimeProvider time,
        RedisOutage outage,
        ILogger logger,
        CancellationToken stopping)
    {
        var keys = new RedisWebhookKeys(store, destination, node);
        _lease = new RedisWebhookLease(store, keys, node, destination, times, time, outage, logger);
        Reader = new RedisWebhookReader(store, keys, node, destination, _lease, times, outage, logger);
        Writer = new RedisWebhookWriter(store, keys, times, outage, Reader.Appended);
        _stopping = stopping;
    }

    public RedisWebhookWriter Writer { get; }

    public RedisWebhookReader Reader { get; }

    public int Unacknowledged => Writer.Pending + Reader.Held;

    public void StartWriting() => Start(ref _writing, Writer.Run);

    public void StartSending() => Start(ref _leasing, _lease.Run);

    /// <summary>After the loops stopped: hands the stream to another node without waiting for the lease to run out.</summary>
    public async Task Stop()
    {
        lock (_gate)
        {
            _writing ??= Task.CompletedTask;
            _leasing ??= Task.CompletedTask;
        }

        await Task.WhenAll(_writing, _leasing);
        await _lease.Release();
    }

    private void Start(ref Task? loop, Func<CancellationToken, Task> run)
    {
        if (Volatile.Read(ref loop) is not null)
        {
            return;
        }

        lock (_gate)
        {
            loop ??= Task.Run(() => UntilStopped(run), CancellationToken.None);
        }
    }

    private async Task UntilStopped(Func<CancellationToken, Task> run)
    {
        try
        {
            await run(_stopping);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The queue is being disposed.
        }
    }
}
