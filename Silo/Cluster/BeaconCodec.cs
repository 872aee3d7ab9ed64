using System.Text.Json;

namespace SoketiOrleans.Silo.Cluster;

/// <summary>A beacon on the wire: its JSON signed with the cluster key.</summary>
public sealed class BeaconCodec(ClusterKey key)
{
    /// <summary>A UDP datagram that crosses any network unfragmented.</summary>
    public const int MaxSize = 1200;

    public byte[] Encode(Beacon beacon) => key.Signed(JsonSerializer.SerializeToUtf8Bytes(beacon));

    /// <returns>Null when the datagram is not a whole, valid beacon signed with this node's key.</returns>
    public Beacon? Decode(ReadOnlyMemory<byte> datagram)
    {
        if (datagram.Length > MaxSize || !key.TryOpen(datagram, out var json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Beacon>(json.Span) is { IsValid: true } beacon ? beacon : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
