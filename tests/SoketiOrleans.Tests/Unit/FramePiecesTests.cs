using System.Text;
using System.Text.Unicode;
using CsCheck;
using SoketiOrleans.Gateway.Sockets;

namespace SoketiOrleans.Tests.Unit;

/// <summary>
/// What the WebSocket does to a payload piece by piece gives what it would do to the whole payload
/// at once, wherever the pieces are cut: the UTF-8 check and the unmasking.
/// </summary>
public sealed class FramePiecesTests
{
    private static readonly string Seed = new PCG(1, 20261203).ToString();

    /// <summary>Mostly valid text with multi-byte characters, sometimes with bytes changed.</summary>
    private static readonly Gen<byte[]> Payload =
        Gen.Select(Gen.String[Gen.Char["az09 {}\"é✓\uD834\uDD1E"]], Gen.Int[0, 255].Array[0, 3], Gen.Int[0, 100])
            .Select((text, changes, at) =>
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                foreach (var change in changes.Where(_ => bytes.Length > 0))
                {
                    bytes[(at + change) % bytes.Length] = (byte)change;
                }

                return bytes;
            });

    /// <summary>Cut points into a payload, in order.</summary>
    private static Gen<int[]> Cuts(int length) => Gen.Int[0, length].Array[0, 6].Select(c => c.Order().ToArray());

    private static IEnumerable<byte[]> Pieces(byte[] payload, int[] cuts)
    {
        var start = 0;
        foreach (var cut in cuts.Append(payload.Length))
        {
            yield return payload[start..cut];
            start = cut;
        }
    }

    [Fact]
    public void Utf8_checked_in_pieces_agrees_with_the_whole_check()
    {
        Payload.SelectMany(p => Cuts(p.Length).Select(c => (p, c))).Sample(sample =>
        {
            var (payload, cuts) = sample;
            var pieces = new Utf8Pieces();
            var chunks = Pieces(payload, cuts).ToArray();
            var valid = true;
            for (var i = 0; i < chunks.Length && valid; i++)
            {
                valid = pieces.Append(chunks[i], last: i == chunks.Length - 1);
            }

            return valid == Utf8.IsValid(payload);
        }, seed: Seed, iter: 20_000);
    }

    [Fact]
    public void Unmasking_in_pieces_agrees_with_unmasking_byte_by_byte()
    {
        Gen.Select(Gen.Byte.Array[0, 200], Gen.UInt).SelectMany(s => Cuts(s.Item1.Length).Select(c => (s.Item1, s.Item2, c))).Sample(sample =>
        {
            var (payload, mask, cuts) = sample;
            var expected = payload.Select((b, i) => (byte)(b ^ (byte)(mask >> (i % 4 * 8)))).ToArray();
            var offset = 0;
            var unmasked = new List<byte>();
            foreach (var piece in Pieces(payload, cuts))
            {
                offset = FrameHeader.Unmask(piece, mask, offset);
                unmasked.AddRange(piece);
            }

            return expected.SequenceEqual(unmasked);
        }, seed: Seed, iter: 5_000);
    }
}
