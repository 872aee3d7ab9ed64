using System.Security.Cryptography;
using System.Text;

namespace SoketiOrleans.Bench;

/// <summary>The signatures an app's auth endpoint would hand a client for private and presence channels.</summary>
public sealed class ChannelAuth(string key, string secret)
{
    private readonly byte[] secretBytes = Encoding.UTF8.GetBytes(secret);

    public string Private(string socketId, string channel) => Sign($"{socketId}:{channel}");

    public string Presence(string socketId, string channel, string channelData) => Sign($"{socketId}:{channel}:{channelData}");

    private string Sign(string text) => $"{key}:{Hex(secretBytes, text)}";

    public static string Hex(byte[] secret, string text) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(text)));
}
