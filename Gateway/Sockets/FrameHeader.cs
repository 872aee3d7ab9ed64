using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;

namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// A WebSocket frame's header (RFC 6455 §5.2) as a server reads it from a client, and the unmasked
/// header a server writes. Only what holds for every frame is checked here; what depends on the
/// frames before it (continuations) is <see cref="PipeWebSocket"/>'s.
/// </summary>
internal readonly record struct FrameHeader(bool Fin, byte Opcode, long PayloadLength, uint Mask, int Length)
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    /// <summary>Longest header: 2 bytes, a 64-bit length and the mask.</summary>
    public const int MaxLength = 14;

    /// <summary>Longest payload of a control frame.</summary>
    public const int MaxControlPayload = 125;

    public enum Outcome
    {
        Read,
        NeedMore,
        Invalid,
    }

    public bool IsControl => (Opcode & 0x8) != 0;

    public static Outcome TryRead(in ReadOnlySequence<byte> buffer, out FrameHeader header)
    {
        header = default;
        Span<byte> bytes = stackalloc byte[MaxLength];
        var available = (int)Math.Min(buffer.Length, MaxLength);
        buffer.Slice(0, available).CopyTo(bytes);
        bytes = bytes[..available];
        if (bytes.Length < 2)
        {
            return Outcome.NeedMore;
        }

        var fin = (bytes[0] & 0x80) != 0;
        var opcode = (byte)(bytes[0] & 0x0F);
        var lengthCode = bytes[1] & 0x7F;

        // No extension is negotiated, so no reserved bit may be set; a client must mask; a control
        // frame is whole and short. All of it is known from the first two bytes.
        var valid = (bytes[0] & 0x70) == 0 && (bytes[1] & 0x80) != 0 && opcode switch
        {
            Continuation or Text or Binary => true,
            Close or Ping or Pong => fin && lengthCode <= MaxControlPayload,
            _ => false,
        };
        if (!valid)
        {
            return Outcome.Invalid;
        }

        var length = 2 + lengthCode switch { 126 => 2, 127 => 8, _ => 0 } + 4;
        if (bytes.Length < length)
        {
            return Outcome.NeedMore;
        }

        long payloadLength = lengthCode switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
            127 => BinaryPrimitives.ReadInt64BigEndian(bytes[2..]),
            _ => lengthCode,
        };
        if (payloadLength < 0)
        {
            // A 64-bit length has its top bit clear.
            return Outcome.Invalid;
        }

        header = new FrameHeader(fin, opcode, payloadLength, BinaryPrimitives.ReadUInt32LittleEndian(bytes[(length - 4)..]), length);
        return Outcome.Read;
    }

    /// <summary>Writes a server's (unmasked) frame header.</summary>
    /// <returns>The header's length: 2, 4 or 10 bytes.</returns>
    public static int Write(Span<byte> destination, byte opcode, bool fin, int payloadLength)
    {
        destination[0] = (byte)((fin ? 0x80 : 0) | opcode);
        switch (payloadLength)
        {
            case <= 125:
                destination[1] = (byte)payloadLength;
                return 2;
            case <= ushort.MaxValue:
                destination[1] = 126;
                BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
                return 4;
            default:
                destination[1] = 127;
                BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
                return 10;
        }
    }

    /// <summary>Unmasks payload bytes in place, the first of them at <paramref name="offset"/> into the mask.</summary>
    /// <returns>The offset into the mask of the byte after them.</returns>
    public static int Unmask(Span<byte> data, uint mask, int offset)
    {
        // The mask's bytes in order, starting at the offset, as little-endian words.
        var rotated = BitOperations.RotateRight(mask, offset * 8);
        var wide = rotated | ((ulong)rotated << 32);
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            var word = data.Slice(i, 8);
            BinaryPrimitives.WriteUInt64LittleEndian(word, BinaryPrimitives.ReadUInt64LittleEndian(word) ^ wide);
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= (byte)(rotated >> (i % 4 * 8));
        }

        return (offset + data.Length) % 4;
    }
}
