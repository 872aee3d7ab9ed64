using System.Buffers;

namespace SoketiOrleans.Silo.Transport;

/// <summary>
/// A block of a connection's input or output (<see cref="LoopInput"/>, <see cref="LoopOutput"/>):
/// its bytes are rented from the shared array pool while it holds data and given back as soon as
/// they are read or sent, so an idle connection holds none. The blocks themselves are kept for
/// reuse by the thread that let them go.
/// </summary>
internal sealed class LoopSegment : ReadOnlySequenceSegment<byte>
{
    public const int Size = 4096;

    private const int MaxPooledPerThread = 256;

    [ThreadStatic]
    private static Stack<LoopSegment>? t_pool;

    private byte[] _array = [];

    /// <summary>How many bytes of the block hold data.</summary>
    public int End { get; private set; }

    public int Free => _array.Length - End;

    /// <param name="previous">The block this one follows, which holds no more than it has now.</param>
    public static LoopSegment Rent(int size, LoopSegment? previous)
    {
        var segment = t_pool?.TryPop(out var pooled) == true ? pooled : new LoopSegment();
        segment._array = ArrayPool<byte>.Shared.Rent(Math.Max(size, Size));
        segment.End = 0;
        segment.Memory = segment._array;
        segment.RunningIndex = 0;
        if (previous is not null)
        {
            // A sequence reads a block before the last one to the end of its memory.
            previous.Memory = previous._array.AsMemory(0, previous.End);
            previous.Next = segment;
            segment.RunningIndex = previous.RunningIndex + previous.End;
        }

        return segment;
    }

    /// <summary>Where the next bytes go.</summary>
    public Memory<byte> Unwritten => _array.AsMemory(End);

    public ReadOnlySpan<byte> Span(int start, int end) => _array.AsSpan(start, end - start);

    public void Wrote(int count)
    {
        if ((uint)count > (uint)Free)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"{count} bytes written to a block with {Free} left.");
        }

        End += count;
    }

    /// <returns>The block after this one.</returns>
    public LoopSegment? Return()
    {
        var next = (LoopSegment?)Next;
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
        Memory = default;
        Next = null;
        End = 0;
        var pool = t_pool ??= new Stack<LoopSegment>();
        if (pool.Count < MaxPooledPerThread)
        {
            pool.Push(this);
        }

        return next;
    }
}
