using System.Text.Json;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Grains.Redis;
using SoketiOrleans.Webhooks;
using StackExchange.Redis;

namespace SoketiOrleans.Grains.Webhooks.Redis;

/// <summary>
/// The sending side of one destination's stream: while this node holds the lease, a batch is the
/// stream's oldest entries, and acknowledging it deletes them, so the next batch starts after them.
/// One batch at a time (as the destination's single sender works): with nothing else taken, the
/// stream's head is always the oldest event not yet delivered, which is what lets a new owner carry
/// on where a dead one stopped without any cursor or pending list.
/// </summary>
internal sealed class RedisWebhookReader(
    RedisStore store,
    RedisWebhookKeys keys,
    string node,
    WebhookDestination destination,
    RedisWebhookLease lease,
    RedisWebhookTimes times,
    RedisOutage outage,
    ILogger logger)
{
    /// <summary>
    /// The head of the stream, only to the node named in the owner key. A lease held by this node's
    /// clock is not enough: Redis restarted empty (or failed over to a replica that had not seen the
    /// lease) frees the key at once, and another node takes it on its next beat while this one
    /// still counts on its lease; reading the stream from both would send the same entries twice.
    /// </summary>
    private const string RangeScript = """
        if redis.call('GET', KEYS[2]) ~= ARGV[1] then return false end
        return redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[2])
        """;

    private readonly SemaphoreSlim _appended = new(0, 1);

    private WebhookBatch? _taken;

    /// <summary>The entries of the batch taken, including unreadable ones, deleted with it.</summary>
    private RedisValue[] _takenIds = [];

    /// <summary>Entries done with whose deletion Redis has not confirmed; deleted before anything else is read.</summary>
    private RedisValue[] _deleting = [];

    private int _held;

    /// <summary>Entries taken and not yet deleted: what this node still owes the stream.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>This node appended to the stream: look now rather than at the next poll.</summary>
    public void Appended()
    {
        if (_appended.CurrentCount == 0)
        {
            try
            {
                _appended.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another append woke it in between.
            }
        }
    }

    /// <summary>Never fails but by cancellation: Redis errors are waited out, as a sender cannot do without a batch.</summary>
    public async ValueTask<WebhookBatch> Take(int maxEvents, TimeSpan gather, CancellationToken cancellationToken)
    {
        if (_taken is not null)
        {
            throw new InvalidOperationException($"The batch taken for {destination} is not acknowledged yet: one batch at a time per destination.");
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Delete(cancellationToken);
                if (lease.IsHeld && await Read(maxEvents, gather, cancellationToken) is { } batch)
                {
                    return batch;
                }

                attempt = 0;
                await _appended.WaitAsync(times.Poll, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outage.Failed(e);
                await Task.Delay(times.RetryDelay(attempt), cancellationToken);
            }
        }
    }

    /// <summary>Deletes the batch's entries; if Redis does not confirm, the next <see cref="Take"/> deletes them first.</summary>
    public async ValueTask Acknowledge(WebhookBatch batch)
    {
        if (!ReferenceEquals(batch, _taken))
        {
            throw new InvalidOperationException($"Not the batch taken for {destination}.");
        }

        _deleting = [.. _deleting, .. _takenIds];
        _takenIds = [];
        _taken = null;
        try
        {
            await Delete(CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            outage.Failed(e);
        }
    }

    private async Task<WebhookBatch?> Read(int maxEvents, TimeSpan gather, CancellationToken cancellationToken)
    {
        var entries = await Range(maxEvents, cancellationToken);
        if (entries.Length > 0 && entries.Length < maxEvents && gather > TimeSpan.Zero)
        {
            await Task.Delay(gather, cancellationToken);
            entries = await Range(maxEvents, cancellationToken);
        }

        if (entries.Length == 0)
        {
            return null;
        }

        var events = new List<WebhookEvent>(entries.Length);
        foreach (var entry in entries)
        {
            try
            {
                events.Add(RedisWebhookEntry.Deserialize((byte[]?)entry["e"]));
            }
            catch (JsonException e)
            {
                RedisWebhookLog.Unreadable(logger, entry.Id.ToString(), destination.App.Id, destination.Target.Url, e);
            }
        }

        var ids = Array.ConvertAll(entries, e => e.Id);
        if (events.Count == 0)
        {
            _deleting = [.. _deleting, .. ids];
            return null;
        }

        _takenIds = ids;
        _taken = new WebhookBatch(destination, events);
        Volatile.Write(ref _held, _deleting.Length + ids.Length);
        return _taken;
    }

    /// <summary>Up to <paramref name="count"/> entries from the head, none while another node owns the key.</summary>
    private async Task<StreamEntry[]> Range(int count, CancellationToken cancellationToken)
    {
        var result = await store.Database.ScriptEvaluateAsync(RangeScript, [keys.Stream, keys.Owner], [node, count]).WaitAsync(cancellationToken);
        outage.Answered();
        return result.IsNull ? [] : Array.ConvertAll((RedisResult[])result!, Entry);
    }

    /// <summary>One XRANGE reply item: the id, then the field names and values.</summary>
    private static StreamEntry Entry(RedisResult item)
    {
        var parts = (RedisResult[])item!;
        var fields = (RedisResult[])parts[1]!;
        var values = new NameValueEntry[fields.Length / 2];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = new NameValueEntry((RedisValue)fields[2 * i], (RedisValue)fields[2 * i + 1]);
        }

        return new StreamEntry((RedisValue)parts[0], values);
    }

    private async Task Delete(CancellationToken cancellationToken)
    {
        if (_deleting.Length > 0)
        {
            await store.Database.StreamDeleteAsync(keys.Stream, _deleting).WaitAsync(cancellationToken);
            outage.Answered();
            _deleting = [];
        }

        Volatile.Write(ref _held, _takenIds.Length);
    }
}
