using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace SoketiOrleans.Silo.Transport;

/// <summary>
/// What the application writes to a <see cref="LoopConnection"/>, as a <see cref="PipeWriter"/>: a
/// flush has the loop send what was written, in order, when it comes round to it. It stands in for a
/// <see cref="Pipe"/> and the task that read it for the connection's whole life; this keeps its state
/// in one object, and no block once everything is sent. Everything is done under the object's own
/// lock, the <c>send</c> as well, and the loop never gives back the block the application writes into.
/// </summary>
internal sealed class LoopOutput(LoopConnection connection) : PipeWriter, IValueTaskSource<FlushResult>
{
    /// <summary>Kestrel's socket transport's limit: a flush waits while 64 KB are unsent, until half is sent.</summary>
    private const long PauseThreshold = 64 * 1024;

    private const long ResumeThreshold = 32 * 1024;

    /// <summary>The next byte to send.</summary>
    private LoopSegment? _head;
    private int _headIndex;

    /// <summary>Where the application writes.</summary>
    private LoopSegment? _tail;

    /// <summary>How far the application has flushed: what the loop may send.</summary>
    private LoopSegment? _flushed;
    private int _flushedIndex;
    private long _unsent;
    private long _unflushed;

    /// <summary>The application asked for memory of <see cref="_tail"/> and has not flushed since: it may be writing into it.</summary>
    private bool _writing;

    /// <summary>A send is due on the loop (or waits until the socket can take more): a flush needs not ask for one.</summary>
    private bool _sendDue;

    private bool _cancelNext;
    private bool _completed;
    private Exception? _completedWith;

    /// <summary>The connection is closed: what is written is dropped.</summary>
    private bool _closed;

    /// <summary>A flush held back while too much is unsent: it goes on on the thread pool, as a pipe's writer does, not on the loop.</summary>
    private LoopWait<FlushResult> _wait = new(runContinuationsAsynchronously: true);

    internal enum Outcome
    {
        /// <summary>Everything flushed is sent.</summary>
        Sent,

        /// <summary>The socket takes no more for now: send again when it is writable.</summary>
        Blocked,

        /// <summary>The application completed its output and all of it is sent (or it completed with an error): the connection can close.</summary>
        Finished,

        /// <summary><c>send</c> failed with the error given.</summary>
        Failed,
    }

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes
    {
        get
        {
            lock (this)
            {
                return _unflushed;
            }
        }
    }

    /// <summary>The application's completion, when it completed with an error.</summary>
    public Exception? CompletedWith => _completedWith;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        lock (this)
        {
            if (_completed)
            {
                throw new InvalidOperationException("Writing is not allowed after the writer was completed.");
            }

            var size = Math.Max(sizeHint, 1);
            if (_tail is null || _tail.Free < size)
            {
                var segment = LoopSegment.Rent(size, _tail);
                _head ??= segment;
                _tail = segment;
            }

            _writing = true;
            return _tail.Unwritten;
        }
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        lock (this)
        {
            if (bytes == 0)
            {
                return;
            }

            if (_tail is null)
            {
                throw new InvalidOperationException("No memory was asked for to advance past.");
            }

            // Kestrel advances more than once through the memory it asked for (as a pipe allows).
            _tail.Wrote(bytes);
            _unflushed += bytes;
            if (_closed)
            {
                Drop();
            }
        }
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        bool send;
        ValueTask<FlushResult> flushed;
        lock (this)
        {
            _writing = false;
            if (_closed)
            {
                Drop();
                return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: true));
            }

            send = Commit();
            if (_cancelNext || _unsent < PauseThreshold)
            {
                flushed = new ValueTask<FlushResult>(new FlushResult(_cancelNext, isCompleted: false));
                _cancelNext = false;
            }
            else if (cancellationToken.IsCancellationRequested)
            {
                flushed = ValueTask.FromCanceled<FlushResult>(cancellationToken);
            }
            else
            {
                // Too much is unsent: the flush completes once the loop has sent enough.
                flushed = _wait.Begin(this, cancellationToken, static (state, token) => ((LoopOutput)state!)._wait.Cancel(state!, token));
            }
        }

        if (send)
        {
            connection.ScheduleSend();
        }

        return flushed;
    }

    public override void CancelPendingFlush()
    {
        CancellationTokenRegistration registration;
        lock (this)
        {
            if (!_wait.TryEnd(out registration))
            {
                _cancelNext = true;
                return;
            }
        }

        _wait.Complete(registration, new FlushResult(isCanceled: true, isCompleted: false));
    }

    public override void Complete(Exception? exception = null)
    {
        bool send;
        lock (this)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            _completedWith = exception;
            _writing = false;
            send = !_closed && (Commit() || !_sendDue);
            _sendDue |= send;
        }

        if (send)
        {
            connection.ScheduleSend();
        }
    }

    /// <summary>On the loop: sends what was flushed, as much as the socket takes.</summary>
    public unsafe Outcome Send(int fd, out int error)
    {
        error = 0;
        var outcome = Outcome.Sent;
        bool resume;
        CancellationTokenRegistration registration;
        lock (this)
        {
            _sendDue = false;
            if (_completedWith is not null)
            {
                return Outcome.Finished;
            }

            if (_closed)
            {
                return Outcome.Sent;
            }

            while (_unsent > 0)
            {
                var segment = _head!;
                var end = segment == _flushed ? _flushedIndex : segment.End;
                if (_headIndex < end)
                {
                    nint sent;
                    fixed (byte* bytes = segment.Span(_headIndex, end))
                    {
                        sent = Linux.send(fd, bytes, end - _headIndex, Linux.NoSignal);
                    }

                    if (sent < 0)
                    {
                        error = Marshal.GetLastPInvokeError();
                        if (error == Linux.Interrupted)
                        {
                            continue;
                        }

                        if (error == Linux.WouldBlock)
                        {
                            // The writable socket sends the rest: until then a flush needs not ask.
                            _sendDue = true;
                            outcome = Outcome.Blocked;
                            break;
                        }

                        return Outcome.Failed;
                    }

                    _headIndex += (int)sent;
                    _unsent -= sent;
                }
                else if (segment != _flushed)
                {
                    _head = segment.Return();
                    _headIndex = 0;
                }
                else
                {
                    break;
                }
            }

            if (_unsent == 0 && _unflushed == 0 && !_writing && _head is not null && _head == _tail && _headIndex == _tail.End)
            {
                // Everything is sent: an idle connection keeps no block.
                _head.Return();
                _head = _tail = _flushed = null;
                _headIndex = _flushedIndex = 0;
            }

            if (_completed && _unsent == 0)
            {
                outcome = Outcome.Finished;
            }

            registration = default;
            resume = _unsent < ResumeThreshold && _wait.TryEnd(out registration);
        }

        if (resume)
        {
            _wait.Complete(registration, new FlushResult(isCanceled: false, isCompleted: false));
        }

        return outcome;
    }

    /// <summary>On the loop, as the connection closes: what is written is dropped, and a waiting flush learns that nothing more goes out.</summary>
    public void Close()
    {
        CancellationTokenRegistration registration;
        lock (this)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            Drop();
            if (!_wait.TryEnd(out registration))
            {
                return;
            }
        }

        _wait.Complete(registration, new FlushResult(isCanceled: false, isCompleted: true));
    }

    /// <summary>Makes what was written sendable.</summary>
    /// <returns>True when the loop must be asked to send it.</returns>
    private bool Commit()
    {
        if (_tail is not null)
        {
            _flushed = _tail;
            _flushedIndex = _tail.End;
        }

        _unsent += _unflushed;
        _unflushed = 0;
        if (_sendDue || _unsent == 0)
        {
            return false;
        }

        _sendDue = true;
        return true;
    }

    /// <summary>Gives back every block but the one the application is writing into.</summary>
    private void Drop()
    {
        var keep = _writing ? _tail : null;
        while (_head is not null && _head != keep)
        {
            _head = _head.Return();
        }

        _tail = _head;
        _headIndex = _flushedIndex = 0;
        _flushed = null;
        _unsent = _unflushed = 0;
    }

    FlushResult IValueTaskSource<FlushResult>.GetResult(short token) => _wait.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<FlushResult>.GetStatus(short token) => _wait.GetStatus(token);

    void IValueTaskSource<FlushResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _wait.OnCompleted(continuation, state, token, flags);
}
