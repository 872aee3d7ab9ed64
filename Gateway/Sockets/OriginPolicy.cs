using Microsoft.Extensions.Primitives;

namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// An app's optional allow-list of browser origins. Empty allows every origin (browser apps live
/// on other origins than the server). Entries are exact origins or patterns with <c>*</c>, e.g.
/// <c>https://*.example.com</c>. Clients that send no Origin (servers, mobile apps) are not browsers
/// and are allowed.
/// </summary>
public static class OriginPolicy
{
    public static bool Allows(IReadOnlyList<string> allowed, StringValues originHeader)
    {
        if (allowed.Count == 0 || StringValues.IsNullOrEmpty(originHeader))
        {
            return true;
        }

        var origin = originHeader.ToString();
        return allowed.Any(pattern => Matches(pattern, origin));
    }

    /// <summary>Whether <paramref name="origin"/> is <paramref name="pattern"/> (case-insensitive), or fits it when it holds a <c>*</c>.</summary>
    public static bool Matches(string pattern, string origin)
    {
        var star = pattern.IndexOf('*');
        if (star < 0)
        {
            return string.Equals(pattern, origin, StringComparison.OrdinalIgnoreCase);
        }

        var prefix = pattern.AsSpan(0, star);
        var suffix = pattern.AsSpan(star + 1);
        return origin.Length >= prefix.Length + suffix.Length
            && origin.AsSpan().StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && origin.AsSpan().EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
    }
}
