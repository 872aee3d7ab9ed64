using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;
using SoketiOrleans.Gateway.Sockets;

namespace SoketiOrleans.Silo.Transport;

/// <summary>
/// What a <see cref="LoopConnection"/> received, read by the application as a <see cref="PipeReader"/>
/// (Kestrel's HTTP, the WebSocket upgrade, the WebSocket): bytes are received on the loop straight
/// into blocks rented for as long as they are unread, and a waiting read goes on at once on the
/// loop's thread. It stands in for a <see cref="Pipe"/>, which keeps about half a kilobyte in six
/// objects for each connection for its whole life (its reader, writer, lock, block cache and a
/// cached block); this keeps its state in one object and no block while everything is read.
/// Everything is done under the object's own lock, the <c>recv</c> as well: the loop never writes
/// into a block the reader may be giving back.
/// </summary>
internal sealed class LoopInput(LoopConnection connection) : PipeReader, IValueTaskSource<ReadResult>, IQuietReader
{
    /// <summary>A read into less room than this takes a new block rather than a sliver.</summary>
    private const int MinReadSize = 2048;

    /// <summary>Kestrel's socket transport's limit: at most 1 MB received ahead of the application, then reading pauses until half is read.</summary>
    private const long PauseThreshold = 1024 * 1024;

    private const long ResumeThreshold = 512 * 1024;

    private LoopSegment? _head;
    private int _headIndex;
    private LoopSegment? _tail;
    private long _unread;

    /// <summary>Bytes arrived that the reader has not examined: a read returns at once.</summary>
    private bool _unexamined;

    /// <summary>A read returned a buffer the reader has not advanced past yet.</summary>
    private bool _reading;

    private bool _cancelNext;
    private bool _paused;
    private bool _readerCompleted;
    private bool _ended;
    private ExceptionDispatchInfo? _error;

    /// <summary>The read waiting is a <see cref="ReadQuietlyAsync"/>: a failure ends it as the peer's FIN does.</summary>
    private bool _waitQuiet;

    /// <summary>A read waiting for bytes: it goes on inline, on the thread that ends it (the loop's, as bytes arrive).</summary>
    private LoopWait<ReadResult> _wait = new(runContinuationsAsynchronously: false);

    internal enum Outcome
    {
        /// <summary>Bytes arrived.</summary>
        Received,

        /// <summary>Bytes arrived, and as much is unread as may be: stop reading until <see cref="LoopConnection.ResumeReading"/>.</summary>
        Full,

        /// <summary>The peer ended its side (or the application stopped reading): no more reads.</summary>
        Ended,

        /// <summary><c>recv</c> failed with the error given.</summary>
        Failed,
    }

    /// <summary>One <c>recv</c> into the input, on the loop; a read waiting for it goes on now, on this thread.</summary>
    public unsafe Outcome Receive(int fd, out int error)
    {
        error = 0;
        ReadResult result;
        CancellationTokenRegistration registration;
        bool full;
        lock (this)
        {
            if (_readerCompleted)
            {
                return Outcome.Ended;
            }

            if (_tail is null || _tail.Free < MinReadSize)
            {
                var segment = LoopSegment.Rent(LoopSegment.Size, _tail);
                _head ??= segment;
                _tail = segment;
            }

            var into = _tail.Unwritten;
            nint received;
            fixed (byte* buffer = into.Span)
            {
                received = Linux.recv(fd, buffer, into.Length, 0);
            }

            if (received <= 0)
            {
                error = received < 0 ? Marshal.GetLastPInvokeError() : 0;
                DropEmptyTail();
                return received == 0 ? Outcome.Ended : Outcome.Failed;
            }

            _tail.Wrote((int)received);
            _unread += received;
            _unexamined = true;
            _paused = _unread >= PauseThreshold;
            full = _paused;
            if (!_wait.TryEnd(out registration))
            {
                return full ? Outcome.Full : Outcome.Received;
            }

            result = Result();
        }

        _wait.Complete(registration, result);
        return full ? Outcome.Full : Outcome.Received;
    }

    /// <summary>The end of the input, on the loop: the peer's FIN (no error), a reset or failure, or the connection's shutdown.</summary>
    public void End(Exception? error)
    {
        ReadResult result = default;
        CancellationTokenRegistration registration;
        bool quiet;
        lock (this)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            _error = error is null ? null : ExceptionDispatchInfo.Capture(error);
            ReleaseOnceBothEnded();
            if (!_wait.TryEnd(out registration))
            {
                return;
            }

            quiet = _waitQuiet;
            if (_error is null || quiet)
            {
                result = Result();
            }
        }

        if (_error is { } failure && !quiet)
        {
            _wait.Fail(registration, failure.SourceException);
        }
        else
        {
            _wait.Complete(registration, result);
        }
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) => Read(cancellationToken, quiet: false);

    /// <summary>As <see cref="ReadAsync"/>, except that a reset or a failed <c>recv</c> ends the read as the peer's FIN does.</summary>
    public ValueTask<ReadResult> ReadQuietlyAsync(CancellationToken cancellationToken) => Read(cancellationToken, quiet: true);

    private ValueTask<ReadResult> Read(CancellationToken cancellationToken, bool quiet)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<ReadResult>(cancellationToken);
        }

        lock (this)
        {
            CheckReadable(quiet);
            if (Ready())
            {
                return new ValueTask<ReadResult>(Result());
            }

            _waitQuiet = quiet;
            return _wait.Begin(this, cancellationToken, static (state, token) => ((LoopInput)state!)._wait.Cancel(state!, token));
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        lock (this)
        {
            CheckReadable(quiet: false);
            if (Ready())
            {
                result = Result();
                return true;
            }

            result = default;
            return false;
        }
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        bool resume;
        lock (this)
        {
            if (!_reading)
            {
                throw new InvalidOperationException("No read to advance past.");
            }

            _reading = false;
            if (consumed.GetObject() is LoopSegment segment)
            {
                Consume(segment, consumed.GetInteger());
            }

            // Data that arrived after the buffer was returned is unexamined whatever the reader examined.
            _unexamined = _tail is not null && (examined.GetObject() != _tail || examined.GetInteger() != _tail.End);
            resume = _paused && _unread < ResumeThreshold;
            if (resume)
            {
                _paused = false;
            }
        }

        if (resume)
        {
            connection.ResumeReading();
        }
    }

    public override void CancelPendingRead()
    {
        ReadResult result;
        CancellationTokenRegistration registration;
        lock (this)
        {
            _cancelNext = true;
            if (!_wait.TryEnd(out registration))
            {
                return;
            }

            result = Result();
        }

        _wait.Complete(registration, result);
    }

    public override void Complete(Exception? exception = null)
    {
        lock (this)
        {
            if (_readerCompleted)
            {
                return;
            }

            _readerCompleted = true;
            _reading = false;
            ReleaseOnceBothEnded();
        }
    }

    private bool Ready() => _unexamined || _cancelNext || _ended;

    private void CheckReadable(bool quiet)
    {
        if (_readerCompleted)
        {
            throw new InvalidOperationException("Reading is not allowed after the reader was completed.");
        }

        if (_reading || _wait.Waiting)
        {
            throw new InvalidOperationException("A read is already in progress.");
        }

        if (!quiet)
        {
            _error?.Throw();
        }
    }

    /// <summary>The result of a read, which is then in progress until the reader advances.</summary>
    private ReadResult Result()
    {
        _reading = true;
        var canceled = _cancelNext;
        _cancelNext = false;
        return new ReadResult(Unread(), canceled, _ended);
    }

    private ReadOnlySequence<byte> Unread() =>
        _head is null ? default : new ReadOnlySequence<byte>(_head, _headIndex, _tail!, _tail!.End);

    /// <summary>Gives back the blocks read to the end; all of them once everything is read.</summary>
    private void Consume(LoopSegment segment, int index)
    {
        while (_head != segment && _head is not null)
        {
            _unread -= _head.End - _headIndex;
            _head = _head.Return();
            _headIndex = 0;
        }

        _unread -= index - _headIndex;
        _headIndex = index;
        if (_head is not null && _head == _tail && _headIndex == _head.End)
        {
            _head.Return();
            _head = _tail = null;
            _headIndex = 0;
        }
    }

    /// <summary>
    /// The blocks go back once neither side uses them, as a pipe's do: a reader that completes while
    /// another of its threads still looks at a buffer (Kestrel aborting a request) does not have it
    /// given to someone else under it, and the loop, which ends the input as the socket closes, gives
    /// them back then.
    /// </summary>
    private void ReleaseOnceBothEnded()
    {
        if (!_readerCompleted || !_ended)
        {
            return;
        }

        while (_head is not null)
        {
            _head = _head.Return();
        }

        _tail = null;
        _headIndex = 0;
        _unread = 0;
    }

    /// <summary>A block taken for a <c>recv</c> that brought nothing is not kept.</summary>
    private void DropEmptyTail()
    {
        if (_tail is { End: 0 } && _head == _tail && !_reading)
        {
            _tail.Return();
            _head = _tail = null;
            _headIndex = 0;
        }
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _wait.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _wait.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _wait.OnCompleted(continuation, state, token, flags);
}
