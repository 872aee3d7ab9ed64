using System.Text;
using SoketiOrleans.Silo.Cluster;

namespace SoketiOrleans.Tests.Unit.Cluster;

/// <summary>Beacons on the discovery port: signed JSON, and null for anything else.</summary>
public sealed class BeaconCodecTests
{
    private static readonly Beacon Founder = new(
        Guid.Parse("5f0c2a4e-1b7d-4c36-9a8e-2d41f7a0c3b9"), "blue", 1_740_830_400_123, "10.0.0.7",
        11003, 11004, 11111, Guid.Parse("5f0c2a4e-1b7d-4c36-9a8e-2d41f7a0c3b9"), null, true);

    private static readonly Beacon Joiner = new(
        Guid.Parse("0d9b6e51-7f2c-4a18-b3d0-6c5e8f1a2b47"), "", 1_740_830_401_000, "0.0.0.0",
        21003, 21004, 21111, null, Guid.Parse("5f0c2a4e-1b7d-4c36-9a8e-2d41f7a0c3b9"), false);

    private static BeaconCodec Codec(string secret) => new(new ClusterKey(secret));

    private static byte[] Flipped(byte[] datagram, int index)
    {
        var copy = datagram.ToArray();
        copy[index] ^= 0x01;
        return copy;
    }

    [Theory]
    [InlineData("")]
    [InlineData("s3cret")]
    public void A_beacon_decodes_to_an_equal_record_with_the_same_secret(string secret)
    {
        Assert.Equal(Founder, Codec(secret).Decode(Codec(secret).Encode(Founder)));
        Assert.Equal(Joiner, Codec(secret).Decode(Codec(secret).Encode(Joiner)));
    }

    [Fact]
    public void The_datagram_is_the_beacons_json_with_short_names_followed_by_its_tag()
    {
        var key = new ClusterKey("s3cret");

        var datagram = new BeaconCodec(key).Encode(Joiner);

        var json = """{"n":"0d9b6e51-7f2c-4a18-b3d0-6c5e8f1a2b47","p":"","t":1740830401000,"a":"0.0.0.0","r":21003,"c":21004,"s":21111,"m":null,"j":"5f0c2a4e-1b7d-4c36-9a8e-2d41f7a0c3b9","f":false,"l":false}""";
        Assert.Equal(json, Encoding.UTF8.GetString(datagram.AsSpan(0, datagram.Length - ClusterKey.TagSize)));
        Assert.Equal(key.Signed(Encoding.UTF8.GetBytes(json)), datagram);
    }

    [Theory]
    [InlineData("s3cret", "other")]
    [InlineData("s3cret", "s3cret ")]
    [InlineData("s3cret", "S3cret")]
    [InlineData("", "s3cret")]
    [InlineData("s3cret", "")]
    public void A_beacon_signed_with_another_secret_or_none_decodes_to_null(string signedWith, string decodedWith) =>
        Assert.Null(Codec(decodedWith).Decode(Codec(signedWith).Encode(Founder)));

    [Fact]
    public void A_flipped_byte_anywhere_in_the_json_gives_null()
    {
        var codec = Codec("s3cret");
        var datagram = codec.Encode(Founder);

        var decoded = Enumerable.Range(0, datagram.Length - ClusterKey.TagSize).Where(i => codec.Decode(Flipped(datagram, i)) is not null);

        Assert.Empty(decoded);
    }

    [Fact]
    public void A_flipped_byte_anywhere_in_the_tag_gives_null()
    {
        var codec = Codec("s3cret");
        var datagram = codec.Encode(Founder);

        var decoded = Enumerable.Range(datagram.Length - ClusterKey.TagSize, ClusterKey.TagSize).Where(i => codec.Decode(Flipped(datagram, i)) is not null);

        Assert.Empty(decoded);
    }

    [Fact]
    public void A_truncated_datagram_of_any_length_gives_null()
    {
        var codec = Codec("s3cret");
        var datagram = codec.Encode(Founder);

        var decoded = Enumerable.Range(0, datagram.Length).Where(length => codec.Decode(datagram.AsMemory(0, length)) is not null);

        Assert.Empty(decoded);
        Assert.Null(codec.Decode(datagram.AsMemory(1)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("s3cret")]
    public void An_empty_datagram_gives_null(string secret)
    {
        Assert.Null(Codec(secret).Decode(ReadOnlyMemory<byte>.Empty));
        Assert.Null(Codec(secret).Decode(Array.Empty<byte>()));
    }

    [Fact]
    public void A_signed_beacon_of_MaxSize_bytes_decodes_and_one_byte_more_gives_null()
    {
        var codec = Codec("s3cret");
        var overhead = codec.Encode(Founder with { Prefix = "" }).Length;
        var largest = Founder with { Prefix = new string('p', BeaconCodec.MaxSize - overhead) };
        var tooLarge = Founder with { Prefix = new string('p', BeaconCodec.MaxSize - overhead + 1) };

        Assert.Equal(1200, BeaconCodec.MaxSize);
        Assert.Equal(BeaconCodec.MaxSize, codec.Encode(largest).Length);
        Assert.Equal(largest, codec.Decode(codec.Encode(largest)));
        Assert.Equal(BeaconCodec.MaxSize + 1, codec.Encode(tooLarge).Length);
        Assert.Null(codec.Decode(codec.Encode(tooLarge)));
    }

    public static TheoryData<byte[]> SignedGarbage => new()
    {
        Array.Empty<byte>(),
        "not json"u8.ToArray(),
        "{"u8.ToArray(),
        "{\"n\":"u8.ToArray(),
        "[1,2,3]"u8.ToArray(),
        "\"a string\""u8.ToArray(),
        "42"u8.ToArray(),
        "{\"n\":5}"u8.ToArray(),
        "{\"n\":\"not a guid\"}"u8.ToArray(),
        "{\"r\":99999999999}"u8.ToArray(),
        "{\"r\":\"11003\"}"u8.ToArray(),
        "{\"f\":\"yes\"}"u8.ToArray(),
        "{\"p\":\"blue\"} trailing"u8.ToArray(),
        new byte[] { 0xFF, 0xFE, 0x00, 0x01, 0x80 },
        new byte[] { (byte)'{', (byte)'"', (byte)'p', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}' },
        Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100)),
    };

    [Theory]
    [MemberData(nameof(SignedGarbage))]
    public void Signed_garbage_that_is_not_a_beacons_json_gives_null(byte[] garbage)
    {
        var key = new ClusterKey("s3cret");

        Assert.Null(new BeaconCodec(key).Decode(key.Signed(garbage)));
    }

    [Fact]
    public void Signed_json_null_gives_null()
    {
        var key = new ClusterKey("s3cret");

        Assert.Null(new BeaconCodec(key).Decode(key.Signed("null"u8)));
    }

    /// <summary>A signed datagram from a buggy or hostile sender that knows the secret (or where there is none) is still refused unless every field a node acts on is usable.</summary>
    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"n":"0d9b6e51-7f2c-4a18-b3d0-6c5e8f1a2b47","t":1,"a":"127.0.0.2","r":1,"c":2,"s":3,"f":true}""")]
    [InlineData("""{"n":"0d9b6e51-7f2c-4a18-b3d0-6c5e8f1a2b47","p":"","t":1,"r":1,"c":2,"s":3,"f":true}""")]
    [InlineData("""{"n":"0d9b6e51-7f2c-4a18-b3d0-6c5e8f1a2b47","p":"","t":1,"a":"not-an-address","r":1,"c":2,"s":3,"f":true}""")]
    [InlineData("""{"n":"0d9b6e51-7f2c-4a18-b3d0-6c5e8f1a2b47","p":"","t":1,"a":"127.0.0.2","r":70000,"c":2,"s":3,"f":true}""")]
    [InlineData("""{"n":"0d9b6e51-7f2c-4a18-b3d0-6c5e8f1a2b47","p":"","t":1,"a":"127.0.0.2","r":1,"c":0,"s":3,"f":true}""")]
    [InlineData("""{"n":"0d9b6e51-7f2c-4a18-b3d0-6c5e8f1a2b47","p":"","t":1,"a":"127.0.0.2","r":1,"c":2,"s":-3,"f":true}""")]
    [InlineData("""{"n":"00000000-0000-0000-0000-000000000000","p":"","t":1,"a":"127.0.0.2","r":1,"c":2,"s":3,"f":true}""")]
    public void A_signed_beacon_missing_a_field_or_with_one_out_of_range_decodes_to_null(string json)
    {
        var key = new ClusterKey("");
        Assert.Null(new BeaconCodec(key).Decode(key.Signed(Encoding.UTF8.GetBytes(json))));
    }

    [Fact]
    public void The_smallest_valid_beacon_decodes()
    {
        var key = new ClusterKey("");
        var json = """{"n":"0d9b6e51-7f2c-4a18-b3d0-6c5e8f1a2b47","p":"","t":1,"a":"127.0.0.2","r":1,"c":2,"s":65535,"f":true}""";
        Assert.Equal(
            new Beacon(Guid.Parse("0d9b6e51-7f2c-4a18-b3d0-6c5e8f1a2b47"), "", 1, "127.0.0.2", 1, 2, 65535, null, null, true),
            new BeaconCodec(key).Decode(key.Signed(Encoding.UTF8.GetBytes(json))));
    }
}
