using System.Text.Unicode;

namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// Checks that a text message is UTF-8 while it arrives in pieces (frames, partial reads): a
/// character cut between two pieces is kept, at most 3 bytes, and checked once it is whole.
/// </summary>
internal struct Utf8Pieces
{
    /// <summary>The start of a character cut off at the end of the last piece, first byte lowest.</summary>
    private uint _cut;
    private int _cutLength;

    /// <param name="last">The piece ends the message: nothing may be left cut.</param>
    /// <returns>False once the text so far cannot be UTF-8.</returns>
    public bool Append(ReadOnlySpan<byte> piece, bool last)
    {
        if (_cutLength > 0)
        {
            Span<byte> character = stackalloc byte[4];
            for (var i = 0; i < _cutLength; i++)
            {
                character[i] = (byte)(_cut >> (i * 8));
            }

            var missing = SequenceLength(character[0]) - _cutLength;
            var taken = Math.Min(missing, piece.Length);
            piece[..taken].CopyTo(character[_cutLength..]);
            if (taken < missing)
            {
                Keep(character[..(_cutLength + taken)]);
                return !last && IsContinuation(piece[..taken]);
            }

            if (!Utf8.IsValid(character[..(_cutLength + taken)]))
            {
                return false;
            }

            _cutLength = 0;
            piece = piece[taken..];
        }

        var tail = CutTail(piece);
        if (!Utf8.IsValid(piece[..^tail]))
        {
            return false;
        }

        Keep(piece[^tail..]);
        return !last || tail == 0;
    }

    /// <summary>Starts over for the next message.</summary>
    public void Reset() => _cutLength = 0;

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        _cut = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            _cut |= (uint)bytes[i] << (i * 8);
        }

        _cutLength = bytes.Length;
    }

    /// <summary>How many bytes at the end start a character that needs more than they have.</summary>
    private static int CutTail(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }

            return b >= 0xC0 && SequenceLength(b) > back ? back : 0;
        }

        return 0;
    }

    /// <summary>The length a lead byte announces; what it is worth is left to the whole character's check.</summary>
    private static int SequenceLength(byte lead) => lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;

    private static bool IsContinuation(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if ((b & 0xC0) != 0x80)
            {
                return false;
            }
        }

        return true;
    }
}
