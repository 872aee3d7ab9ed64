using Microsoft.Extensions.Logging;
using SoketiOrleans.Gateways;

namespace SoketiOrleans.Gateway.Reassertion;

/// <summary>
/// State this gateway holds at one grain. The gateway owns the truth about its sockets; grains hold
/// copies that may be lost, so the copy is always the whole state (absolute), sent by
/// <see cref="Reassertion"/>: one call in flight, changes made meanwhile folded into the next
/// call, failures retried with back-off, and the unchanged state sent again when the component
/// re-asserts everything.
/// </summary>
public abstract class ReassertedState
{
    protected ReassertedState(Reassertion owner)
    {
        Owner = owner;
        owner.Add(this);
    }

    protected Reassertion Owner { get; }

    /// <summary>Guards the subclass's state and this class's bookkeeping.</summary>
    protected Lock Gate { get; } = new();

    /// <summary>For logs: what the state is of, e.g. a channel key.</summary>
    public abstract string Name { get; }

    /// <summary>What this state means to the gateway's ledger, the copy of it that outlives the gateway; null for the ledger itself.</summary>
    public virtual LedgerEntry? LedgerEntry() => null;

    /// <summary>Sends the state again, changed or not: its grain may have lost it.</summary>
    public abstract void Reassert();
}

/// <typeparam name="TReport">The absolute state as the grain takes it.</typeparam>
/// <typeparam name="TAnswer">The grain's answer.</typeparam>
public abstract partial class ReassertedState<TReport, TAnswer>(Reassertion owner) : ReassertedState(owner)
{
    // Made by the first wait: most states are never waited for.
    private List<(long Version, TaskCompletionSource Done)>? _waiters;
    private CoalescingRunner? _runner;
    private long _version;
    private long _acknowledged;
    private bool _reassert;
    private bool _retired;

    private CoalescingRunner Runner => _runner ??= new CoalescingRunner(Report);

    /// <summary>Whether the state has nothing left to report, so the target can go once that is acknowledged. Under <see cref="ReassertedState.Gate"/>.</summary>
    protected abstract bool IsEmpty { get; }

    /// <summary>Under <see cref="ReassertedState.Gate"/>: the whole state as of <paramref name="version"/>.</summary>
    protected abstract TReport Snapshot(long version);

    protected abstract Task<TAnswer> Send(TReport report);

    /// <summary>Under <see cref="ReassertedState.Gate"/>: the grain took <paramref name="report"/> and answered.</summary>
    protected abstract void Acknowledge(TReport report, TAnswer answer);

    /// <summary>Outside the gate, after <see cref="Acknowledge"/>.</summary>
    protected virtual void Acknowledged(TAnswer answer)
    {
    }

    /// <summary>The target reported its last state and is no longer tracked; a new one takes its place if needed.</summary>
    protected virtual void Retired()
    {
    }

    /// <summary>Under <see cref="ReassertedState.Gate"/>: whether the target has gone; it takes no more changes.</summary>
    protected bool IsRetired => _retired;

    /// <summary>Under <see cref="ReassertedState.Gate"/>: records a change; the returned version is acknowledged with the report that includes it.</summary>
    protected long Changed() => ++_version;

    /// <summary>Outside the gate: makes sure a report follows the changes made so far.</summary>
    protected void Schedule()
    {
        Owner.Changed(this);
        Runner.Run();
    }

    /// <summary>Completes once a report including <paramref name="version"/> was acknowledged.</summary>
    protected Task WhenAcknowledged(long version)
    {
        lock (Gate)
        {
            if (_acknowledged >= version)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (_waiters ??= []).Add((version, done));
            return done.Task;
        }
    }

    public override void Reassert()
    {
        lock (Gate)
        {
            if (_retired)
            {
                return;
            }

            _reassert = true;
        }

        Runner.Run();
    }

    private async Task Report()
    {
        var delay = Owner.FirstRetry;
        while (true)
        {
            TReport report;
            long version;
            lock (Gate)
            {
                version = _version;
                if (_retired || (version == _acknowledged && !_reassert))
                {
                    return;
                }

                _reassert = false;
                report = Snapshot(version);
            }

            TAnswer answer;
            try
            {
                answer = await SendFromPool(report).WaitAsync(Owner.ReportTimeout, Owner.Clock);
            }
            catch (Exception e)
            {
                Owner.ReportFailed(e, Name, delay);
                lock (Gate)
                {
                    _reassert = true; // the grain may have missed it: send it even if nothing changes
                }

                await Owner.Delay(delay);
                delay = delay * 2 < Owner.LastRetry ? delay * 2 : Owner.LastRetry;
                continue;
            }

            bool retire;
            lock (Gate)
            {
                Acknowledge(report, answer);
                _acknowledged = Math.Max(_acknowledged, version);
                Release();
                retire = _retired = IsEmpty && _version == _acknowledged && _waiters is not { Count: > 0 };
            }

            Acknowledged(answer);
            if (retire)
            {
                Owner.Remove(this);
                Retired();
                return;
            }

            delay = Owner.FirstRetry;
        }
    }

    /// <summary>
    /// Orleans takes a call's completion source from a pool of the calling thread and gives it back
    /// to the pool of the thread that reads the answer, with no bound. An event loop makes calls and
    /// never reads answers, so every report it sent left one more source in a worker's pool for good:
    /// a report asked for there is sent from the thread pool. Its snapshot is still taken at once, so
    /// a leave and a join that follow each other are still two reports.
    /// </summary>
    private Task<TAnswer> SendFromPool(TReport report) =>
        Thread.CurrentThread.IsThreadPoolThread ? Send(report) : Task.Run(() => Send(report));

    private void Release()
    {
        if (_waiters is null)
        {
            return;
        }

        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Version <= _acknowledged)
            {
                _waiters[i].Done.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }
}
