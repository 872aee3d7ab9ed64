using System.Buffers.Text;
using System.Text;

namespace SoketiOrleans.Bench.Frames;

/// <summary>
/// A message whose only varying part is the sender's timestamp, written where the template says
/// <see cref="Marker"/>: the fixed parts are encoded once, so a publish or a client event costs one small array.
/// </summary>
public sealed class TimestampedBytes
{
    public const string Marker = "TIMESTAMP";

    private readonly byte[] before;
    private readonly byte[] after;

    public TimestampedBytes(string template)
    {
        var at = template.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
            throw new ArgumentException($"no {Marker} in {template}", nameof(template));
        before = Encoding.UTF8.GetBytes(template[..at]);
        after = Encoding.UTF8.GetBytes(template[(at + Marker.Length)..]);
    }

    public byte[] With(long timestamp)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(timestamp, digits, out var length);
        var bytes = new byte[before.Length + length + after.Length];
        before.CopyTo(bytes, 0);
        digits[..length].CopyTo(bytes.AsSpan(before.Length));
        after.CopyTo(bytes, before.Length + length);
        return bytes;
    }
}
