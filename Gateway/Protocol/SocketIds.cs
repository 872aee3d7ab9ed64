using System.Security.Cryptography;

namespace SoketiOrleans.Gateway.Protocol;

/// <summary>
/// Socket ids in Pusher's <c>\d+\.\d+</c> form: a random number per gateway, then a counter, so
/// ids never repeat on a gateway and collide across gateways only if two draw the same number.
/// </summary>
public sealed class SocketIds
{
    private readonly long _gatewayPart = RandomNumberGenerator.GetInt32(1, int.MaxValue);
    private long _counter = RandomNumberGenerator.GetInt32(0, 1_000_000);

    public string Next() => $"{_gatewayPart}.{Interlocked.Increment(ref _counter)}";

    public static bool IsValid(string socketId)
    {
        var dot = socketId.IndexOf('.');
        return dot > 0 && dot < socketId.Length - 1
            && AllDigits(socketId.AsSpan(0, dot)) && AllDigits(socketId.AsSpan(dot + 1));
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
