using System.Text;
using SoketiOrleans.Silo.Cluster;

namespace SoketiOrleans.Tests.Unit.Cluster;

/// <summary><c>cluster.secret</c> as the HMAC-SHA256 key that signs beacons and membership writes.</summary>
public sealed class ClusterKeyTests
{
    private static readonly byte[] Fox = "The quick brown fox jumps over the lazy dog"u8.ToArray();

    [Fact]
    public void The_tag_is_hmac_sha256_of_the_message_with_the_secret()
    {
        // RFC 2104 HMAC-SHA256 of the well-known pangram with the key "key".
        Assert.Equal(32, ClusterKey.TagSize);
        var tag = new byte[ClusterKey.TagSize];
        new ClusterKey("key").Sign(Fox, tag);
        Assert.Equal("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", Convert.ToHexStringLower(tag));
    }

    [Fact]
    public void Without_a_secret_the_tag_is_hmac_sha256_with_an_empty_key()
    {
        var tag = new byte[ClusterKey.TagSize];
        new ClusterKey("").Sign([], tag);
        Assert.Equal("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad", Convert.ToHexStringLower(tag));
    }

    [Fact]
    public void Signed_is_the_message_followed_by_its_tag()
    {
        var key = new ClusterKey("key");

        var signed = key.Signed(Fox);

        Assert.Equal(Fox.Length + ClusterKey.TagSize, signed.Length);
        Assert.Equal(Fox, signed[..Fox.Length]);
        Assert.Equal("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", Convert.ToHexStringLower(signed[Fox.Length..]));
        Assert.True(key.Verifies(Fox, signed.AsSpan(Fox.Length)));
    }

    [Theory]
    [InlineData("key")]
    [InlineData("")]
    [InlineData("sécret with ünicode")]
    public void TryOpen_returns_the_message_without_the_tag(string secret)
    {
        var key = new ClusterKey(secret);

        Assert.True(key.TryOpen(key.Signed(Fox), out var message));
        Assert.Equal(Fox, message.ToArray());
        Assert.True(key.TryOpen(key.Signed([]), out var empty));
        Assert.Equal(0, empty.Length);
    }

    [Fact]
    public void TryOpen_refuses_a_tag_made_with_another_secret()
    {
        Assert.False(new ClusterKey("key").TryOpen(new ClusterKey("other").Signed(Fox), out var message));
        Assert.Equal(0, message.Length);
        Assert.False(new ClusterKey("key").TryOpen(new ClusterKey("").Signed(Fox), out _));
        Assert.False(new ClusterKey("").TryOpen(new ClusterKey("key").Signed(Fox), out _));
        Assert.False(new ClusterKey("key").TryOpen(new ClusterKey("Key").Signed(Fox), out _));
    }

    [Fact]
    public void TryOpen_refuses_any_single_flipped_bit()
    {
        var key = new ClusterKey("key");
        var signed = key.Signed(Fox);

        var opened = new List<(int Byte, int Bit)>();
        for (var i = 0; i < signed.Length; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var flipped = signed.ToArray();
                flipped[i] ^= (byte)(1 << bit);
                if (key.TryOpen(flipped, out _))
                {
                    opened.Add((i, bit));
                }
            }
        }

        Assert.Empty(opened);
    }

    [Fact]
    public void TryOpen_refuses_a_zero_tag_and_anything_shorter_than_a_tag()
    {
        var key = new ClusterKey("key");
        var zeroTag = new byte[Fox.Length + ClusterKey.TagSize];
        Fox.CopyTo(zeroTag, 0);

        Assert.False(key.TryOpen(zeroTag, out _));
        var signedEmpty = key.Signed([]);
        Assert.Equal(ClusterKey.TagSize, signedEmpty.Length);
        for (var length = 0; length < ClusterKey.TagSize; length++)
        {
            Assert.False(key.TryOpen(signedEmpty.AsMemory(0, length), out var message));
            Assert.Equal(0, message.Length);
        }
    }

    [Fact]
    public void TryOpen_refuses_a_message_with_bytes_added_or_removed()
    {
        var key = new ClusterKey("key");
        var signed = key.Signed(Fox);

        Assert.False(key.TryOpen(signed.AsMemory(1), out _));
        Assert.False(key.TryOpen(signed.AsMemory(0, signed.Length - 1), out _));
        Assert.False(key.TryOpen((byte[])[0, .. signed], out _));
        Assert.False(key.TryOpen((byte[])[.. signed, 0], out _));
        Assert.False(key.TryOpen(Encoding.UTF8.GetBytes("x").Concat(signed[Fox.Length..]).ToArray(), out _));
    }
}
