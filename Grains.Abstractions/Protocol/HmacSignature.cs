using System.Security.Cryptography;
using System.Text;

namespace SoketiOrleans.Protocol;

/// <summary>Pusher's signatures: lowercase hex HMAC-SHA256 with the app secret, compared in constant time.</summary>
public static class HmacSignature
{
    public static string Sign(string secret, string data) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(data)));

    public static bool Matches(string secret, string data, ReadOnlySpan<char> hexSignature)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(data), expected);
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        return hexSignature.Length == HMACSHA256.HashSizeInBytes * 2
            && Convert.FromHexString(hexSignature, given, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == given.Length
            && CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
