using System.Buffers;
using System.Collections.Concurrent;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Orleans.Serialization;

namespace SoketiOrleans.Silo.Cluster;

/// <summary>
/// Raft's state machine on every node: applies committed <see cref="TableCommand"/>s to its copy of
/// the membership table. The node that proposed a command waits here for its outcome.
/// </summary>
public sealed class MembershipStateMachine(DirectoryInfo location, Serializer serializer) : SimpleStateMachine(location)
{
    /// <summary>Snapshots keep the write-ahead log short; the table itself is a few rows.</summary>
    private const long SnapshotEvery = 512;

    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<bool>> _awaited = new();
    private MembershipTableState _state = new();

    public T Read<T>(Func<MembershipTableState, T> read)
    {
        lock (_gate)
        {
            // Each reader gets its own copies: Orleans keeps and mutates the entries it reads.
            return read(serializer.Deserialize<MembershipTableState>(serializer.SerializeToArray(_state))!);
        }
    }

    /// <summary>Completes once this node has applied <paramref name="command"/>, with its outcome.</summary>
    public Task<bool> Outcome(TableCommand command) =>
        _awaited.GetOrAdd(command.Id, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Forget(TableCommand command) => _awaited.TryRemove(command.Id, out _);

    protected override ValueTask<bool> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        if (entry.TryGetPayload(out var payload) && !payload.IsEmpty)
        {
            var command = serializer.Deserialize<TableCommand>(payload)!;
            bool outcome;
            lock (_gate)
            {
                outcome = _state.Apply(command);
            }

            if (_awaited.TryRemove(command.Id, out var waiter))
            {
                waiter.TrySetResult(outcome);
            }
        }

        return new(entry.Index % SnapshotEvery == 0);
    }

    protected override ValueTask PersistAsync(IAsyncBinaryWriter writer, CancellationToken token)
    {
        byte[] snapshot;
        lock (_gate)
        {
            snapshot = serializer.SerializeToArray(_state);
        }

        return writer.Invoke(snapshot, token);
    }

    protected override async ValueTask RestoreAsync(FileInfo snapshotFile, CancellationToken token)
    {
        var bytes = await File.ReadAllBytesAsync(snapshotFile.FullName, token);
        lock (_gate)
        {
            _state = serializer.Deserialize<MembershipTableState>(bytes)!;
        }
    }
}
