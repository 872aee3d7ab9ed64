using System.Threading.Tasks.Sources;

namespace SoketiOrleans.Silo.Transport;

/// <summary>
/// The one operation of a connection's input or output that may wait (a read of
/// <see cref="LoopInput"/>, a flush of <see cref="LoopOutput"/>), held inside its owner: no object
/// per wait. It is begun and ended under the owner's lock, and completed outside it, where its
/// token's registration is disposed too (the registration's callback takes that lock).
/// </summary>
internal struct LoopWait<T>(bool runContinuationsAsynchronously)
{
    private ManualResetValueTaskSourceCore<T> _source = new() { RunContinuationsAsynchronously = runContinuationsAsynchronously };
    private CancellationTokenRegistration _registration;

    public bool Waiting { get; private set; }

    /// <param name="owner">Its <see cref="IValueTaskSource{T}"/> answers through this wait.</param>
    /// <param name="canceled">Called with the owner when the token is cancelled: it calls <see cref="Cancel"/>.</param>
    public ValueTask<T> Begin(IValueTaskSource<T> owner, CancellationToken cancellationToken, Action<object?, CancellationToken> canceled)
    {
        Waiting = true;
        _source.Reset();
        var wait = new ValueTask<T>(owner, _source.Version);
        if (cancellationToken.CanBeCanceled)
        {
            // A token cancelled already ends the wait in here, before this returns.
            _registration = cancellationToken.UnsafeRegister(canceled, owner);
        }

        return wait;
    }

    /// <returns>True when a wait was out: it is ended, and the caller completes it.</returns>
    public bool TryEnd(out CancellationTokenRegistration registration)
    {
        registration = _registration;
        _registration = default;
        if (!Waiting)
        {
            return false;
        }

        Waiting = false;
        return true;
    }

    /// <summary>The token's callback: ends the wait, if it is still out, under the owner's lock, and fails it.</summary>
    public void Cancel(object owner, CancellationToken cancellationToken)
    {
        CancellationTokenRegistration registration;
        lock (owner)
        {
            if (!TryEnd(out registration))
            {
                return;
            }
        }

        Fail(registration, new OperationCanceledException(cancellationToken));
    }

    public void Complete(CancellationTokenRegistration registration, T result)
    {
        registration.Dispose();
        _source.SetResult(result);
    }

    public void Fail(CancellationTokenRegistration registration, Exception exception)
    {
        registration.Dispose();
        _source.SetException(exception);
    }

    public T GetResult(short token) => _source.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _source.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);
}
