using System.Buffers;

namespace SoketiOrleans.Fuzz;

/// <summary>Bytes as a sequence of two segments, as a connection's pipe hands over what arrived in two reads.</summary>
internal sealed class SplitSequence : ReadOnlySequenceSegment<byte>
{
    private SplitSequence(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> At(byte[] bytes, int cut)
    {
        var first = new SplitSequence(bytes.AsMemory(0, cut), 0);
        var second = new SplitSequence(bytes.AsMemory(cut), cut);
        first.Next = second;
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }
}
