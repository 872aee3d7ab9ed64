using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>Reads <see cref="DiscoveryOptions"/> with soketi's <c>cluster.*</c> keys and defaults.</summary>
internal static class ClusterReader
{
    private const string AnIPv4Address = "an IPv4 address";

    private static readonly IPAddress LoopbackBroadcast = IPAddress.Parse("127.255.255.255");

    public static DiscoveryOptions Read(OptionsReader r)
    {
        var host = Address(r, "cluster.hostname", AnIPv4Address, _ => true) ?? IPAddress.Any;
        var multicast = Address(r, "cluster.multicast", "an IPv4 multicast address (224.0.0.0 to 239.255.255.255)", a => a.GetAddressBytes()[0] is >= 224 and <= 239);
        var unicast = Unicast(r);
        var broadcast = Address(r, "cluster.broadcast", AnIPv4Address, _ => true)
                        ?? (IPAddress.IsLoopback(host) ? LoopbackBroadcast : IPAddress.Broadcast);

        return new DiscoveryOptions
        {
            Host = host,
            Port = r.Int("cluster.port", 1, 65535, 11002),
            Prefix = r.String("cluster.prefix"),
            CheckInterval = r.Milliseconds("cluster.checkInterval", 1, TimeSpan.FromMilliseconds(500)),
            KeepaliveInterval = r.Milliseconds("cluster.helloInterval", 1, TimeSpan.FromMilliseconds(500)),
            NodeTimeout = r.Milliseconds("cluster.nodeTimeout", 1, TimeSpan.FromMilliseconds(2000)),
            MasterTimeout = r.Milliseconds("cluster.masterTimeout", 1, TimeSpan.FromMilliseconds(2000)),

            // node-discover's order: unicast addresses, else the multicast group, else broadcast.
            Broadcast = unicast.Count > 0 || multicast is not null ? null : broadcast,
            Multicast = unicast.Count > 0 ? null : multicast,
            Unicast = unicast,
            Secret = r.String("cluster.secret"),
        };
    }

    /// <summary>Null when absent, JSON null (soketi's default for multicast) or "".</summary>
    private static IPAddress? Address(OptionsReader r, string path, string allowed, Func<IPAddress, bool> accept) =>
        r.Read(path, r.Node(path), null, allowed, (JsonNode node, out IPAddress? address) =>
        {
            address = null;
            return ConfigValue.TryString(node, out var text) && (text.Length == 0 || TryIPv4(text, out address) && accept(address));
        });

    /// <summary>soketi's JSON array of strings, or node-discover's comma-separated string.</summary>
    private static IReadOnlyList<string> Unicast(OptionsReader r) =>
        r.Read("cluster.unicast", r.Node("cluster.unicast"), [],
            "IPv4 addresses or host names without a port, as a JSON array of strings or a comma-separated string",
            (JsonNode node, out IReadOnlyList<string> addresses) =>
            {
                addresses = [];
                IEnumerable<string> entries;
                if (ConfigValue.TryStrings(node, out var list))
                {
                    entries = list;
                }
                else if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                {
                    entries = v.GetValue<string>().Split(',');
                }
                else
                {
                    return false;
                }

                var trimmed = entries.Select(e => e.Trim()).Where(e => e.Length > 0).ToArray();
                if (!trimmed.All(e => TryIPv4(e, out _) || IsHostName(e)))
                {
                    return false;
                }

                addresses = trimmed;
                return true;
            });

    /// <summary>
    /// Dotted quads only: <see cref="IPAddress.TryParse(string, out IPAddress)"/> also reads "10.1" as
    /// 10.0.0.1 and "010.0.0.1" as octal, which would quietly name another address.
    /// </summary>
    private static bool TryIPv4(string text, [NotNullWhen(true)] out IPAddress? address) =>
        IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetwork && address.ToString() == text;

    /// <summary>
    /// Labels of letters, digits and '-' (not at either end) joined by dots. The last label may not be
    /// all digits, so that a mistyped address ("10.0.0.256") is refused instead of looked up as a name.
    /// </summary>
    private static bool IsHostName(string text)
    {
        var labels = text.Split('.');
        return text.Length <= 253
               && labels.All(l => l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-' && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
               && !labels[^1].All(char.IsAsciiDigit);
    }
}
