using SoketiOrleans.Apps;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.Protocol;

/// <summary>
/// The <c>auth</c> strings clients present: <c>{appKey}:{hex HMAC-SHA256(secret, signed)}</c>,
/// made by the app's server for this socket.
/// </summary>
public static class AppSignature
{
    public static string Sign(App app, string signed) => app.Key + ":" + HmacSignature.Sign(app.Secret, signed);

    public static bool Matches(App app, string signed, string? auth)
    {
        if (auth is null)
        {
            return false;
        }

        var colon = auth.IndexOf(':');
        return colon >= 0
            && auth.AsSpan(0, colon).SequenceEqual(app.Key)
            && HmacSignature.Matches(app.Secret, signed, auth.AsSpan(colon + 1));
    }
}
