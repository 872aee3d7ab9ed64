using System.Security.Cryptography;
using System.Text;

namespace SoketiOrleans.Silo.Cluster;

/// <summary>
/// <c>cluster.secret</c> as an HMAC-SHA256 key: beacons and membership writes between nodes carry a
/// tag made with it. Without a secret the key is empty: the tag then only proves a message is
/// whole, but a node with a secret still refuses everything made without it.
/// </summary>
public sealed class ClusterKey(string secret)
{
    public const int TagSize = HMACSHA256.HashSizeInBytes;

    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);

    public void Sign(ReadOnlySpan<byte> message, Span<byte> tag) => HMACSHA256.HashData(_key, message, tag);

    public bool Verifies(ReadOnlySpan<byte> message, ReadOnlySpan<byte> tag)
    {
        Span<byte> expected = stackalloc byte[TagSize];
        Sign(message, expected);
        return CryptographicOperations.FixedTimeEquals(expected, tag);
    }

    /// <summary>The message followed by its tag.</summary>
    public byte[] Signed(ReadOnlySpan<byte> message)
    {
        var signed = new byte[message.Length + TagSize];
        message.CopyTo(signed);
        Sign(message, signed.AsSpan(message.Length));
        return signed;
    }

    /// <returns>The message without its tag, or false when the tag is wrong.</returns>
    public bool TryOpen(ReadOnlyMemory<byte> signed, out ReadOnlyMemory<byte> message)
    {
        message = default;
        if (signed.Length < TagSize || !Verifies(signed.Span[..^TagSize], signed.Span[^TagSize..]))
        {
            return false;
        }

        message = signed[..^TagSize];
        return true;
    }
}
