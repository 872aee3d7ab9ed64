using System.Text.Json;
using System.Text.Json.Nodes;
using SoketiOrleans.Apps;
using SoketiOrleans.Grains.Webhooks;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>
/// Reads <c>appManager.array.apps</c>. Each field is looked up under soketi's aliases (camelCase,
/// PascalCase, snake_case SQL column); limits that an app leaves out come from the server-wide
/// defaults, as in soketi.
/// </summary>
internal static class AppsReader
{
    private const string Path = "appManager.array.apps";

    public static IReadOnlyList<App> Read(OptionsReader options, App defaults)
    {
        if (options.Node(Path) is not JsonArray array || array.Count == 0)
        {
            options.Problem(Path, options.Node(Path), "a non-empty array of apps");
            return [];
        }

        var apps = new List<App>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject app)
            {
                apps.Add(ReadApp(new AppFields(options, app, $"{Path}.{i}"), defaults));
            }
            else
            {
                options.Problem($"{Path}.{i}", array[i], "an object");
            }
        }

        RequireUnique(options, apps, a => a.Id, "id");
        RequireUnique(options, apps, a => a.Key, "key");

        return apps;
    }

    private static App ReadApp(AppFields f, App d) => new()
    {
        // Grain keys are "{appId}:{name}" and user ids may contain ':', so only the app id can give it up.
        Id = f.RequiredString("a non-empty string without ':'", id => !id.Contains(':', StringComparison.Ordinal), "id", "AppId"),
        Key = f.RequiredString("key", "AppKey"),
        Secret = f.RequiredString("secret", "AppSecret"),
        Enabled = f.Bool(d.Enabled, "enabled", "Enabled"),
        EnableClientMessages = f.Bool(d.EnableClientMessages, "enableClientMessages", "EnableClientMessages", "enable_client_messages"),
        EnableUserAuthentication = f.Bool(d.EnableUserAuthentication, "enableUserAuthentication", "EnableUserAuthentication", "enable_user_authentication"),
        MaxConnections = f.Limit(d.MaxConnections, "maxConnections", "MaxConnections", "max_connections"),
        MaxBackendEventsPerSecond = f.Limit(d.MaxBackendEventsPerSecond, "maxBackendEventsPerSecond", "MaxBackendEventsPerSecond", "max_backend_events_per_sec"),
        MaxClientEventsPerSecond = f.Limit(d.MaxClientEventsPerSecond, "maxClientEventsPerSecond", "MaxClientEventsPerSecond", "max_client_events_per_sec"),
        MaxReadRequestsPerSecond = f.Limit(d.MaxReadRequestsPerSecond, "maxReadRequestsPerSecond", "MaxReadRequestsPerSecond", "max_read_req_per_sec"),
        MaxPresenceMembersPerChannel = f.Limit(d.MaxPresenceMembersPerChannel, "maxPresenceMembersPerChannel", "MaxPresenceMembersPerChannel", "max_presence_members_per_channel"),
        MaxPresenceMemberSizeInKb = f.Size(d.MaxPresenceMemberSizeInKb, "maxPresenceMemberSizeInKb", "MaxPresenceMemberSizeInKb", "max_presence_member_size_in_kb"),
        MaxChannelNameLength = f.Limit(d.MaxChannelNameLength, "maxChannelNameLength", "MaxChannelNameLength", "max_channel_name_length"),
        MaxEventChannelsAtOnce = f.Limit(d.MaxEventChannelsAtOnce, "maxEventChannelsAtOnce", "MaxEventChannelsAtOnce", "max_event_channels_at_once"),
        MaxEventNameLength = f.Limit(d.MaxEventNameLength, "maxEventNameLength", "MaxEventNameLength", "max_event_name_length"),
        MaxEventPayloadInKb = f.Size(d.MaxEventPayloadInKb, "maxEventPayloadInKb", "MaxEventPayloadInKb", "max_event_payload_in_kb"),
        MaxEventBatchSize = f.Limit(d.MaxEventBatchSize, "maxEventBatchSize", "MaxEventBatchSize", "max_event_batch_size"),
        AllowedOrigins = f.Strings("allowedOrigins", "AllowedOrigins", "allowed_origins"),
        Webhooks = f.Webhooks("webhooks", "Webhooks"),
    };

    private static void RequireUnique(OptionsReader options, List<App> apps, Func<App, string> field, string name)
    {
        foreach (var duplicate in apps.GroupBy(field, StringComparer.Ordinal).Where(g => g.Count() > 1 && g.Key != ""))
        {
            options.Problems.Add($"{Path}: two apps have the {name} \"{duplicate.Key}\"; each app needs its own");
        }
    }

    /// <summary>One app object and where it sits, for messages.</summary>
    private sealed class AppFields(OptionsReader options, JsonObject app, string path)
    {
        public string RequiredString(params string[] names) => RequiredString("a non-empty string", _ => true, names);

        public string RequiredString(string allowed, Func<string, bool> valid, params string[] names)
        {
            var (name, node) = Find(names);
            if (node is null)
            {
                options.Problem($"{path}.{name}", null, allowed);
                return "";
            }

            return Read(name, node, "", allowed, (JsonNode n, out string v) => ConfigValue.TryString(n, out v) && v.Length > 0 && valid(v));
        }

        public bool Bool(bool fallback, params string[] names) => Optional(names, fallback, "true or false (or 1/0)", ConfigValue.TryBool);

        /// <summary>An integer limit: -1 (unlimited) or at least 0.</summary>
        public int Limit(int fallback, params string[] names) => Optional(names, fallback, "an integer, -1 for no limit",
            (JsonNode n, out int v) => ConfigValue.TryInt(n, out v) && v >= -1);

        public double Size(double fallback, params string[] names) => Optional(names, fallback, "a positive number",
            (JsonNode n, out double v) => ConfigValue.TryDouble(n, out v) && v > 0);

        private T Optional<T>(string[] names, T fallback, string allowed, ConfigValue.Parser<T> parse)
        {
            var (name, node) = Find(names);
            return Read(name, IsBlank(node) ? null : node, fallback, allowed, parse);
        }

        private T Read<T>(string name, JsonNode? node, T fallback, string allowed, ConfigValue.Parser<T> parse) =>
            options.Read($"{path}.{name}", node, fallback, allowed, parse);

        /// <summary>A JSON array of strings, or a JSON-encoded one (as an env var or SQL column holds it).</summary>
        public IReadOnlyList<string> Strings(params string[] names)
        {
            var (name, node) = FindJson(names);
            return Read<IReadOnlyList<string>>(name, node, [], "an array of strings", ConfigValue.TryStrings);
        }

        /// <summary>soketi's webhook entries, or a JSON-encoded array of them.</summary>
        public IReadOnlyList<WebhookTarget> Webhooks(params string[] names)
        {
            var (name, node) = FindJson(names);
            return WebhooksReader.Read(options, node, $"{path}.{name}");
        }

        /// <summary>The value, parsed first when it is a string holding JSON; null when blank.</summary>
        private (string Name, JsonNode? Node) FindJson(string[] names)
        {
            var (name, node) = Find(names);
            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                try
                {
                    node = SoketiJson.Parse(v.GetValue<string>());
                }
                catch (JsonException)
                {
                    // the caller reports the string as it is
                }
            }

            return (name, IsBlank(node) ? null : node);
        }

        /// <summary>
        /// soketi's rule: the last alias that holds a value other than null or "" wins; a blank value
        /// counts as not set (it is still returned when nothing else is, so required fields can name it).
        /// </summary>
        private (string Name, JsonNode? Node) Find(string[] names)
        {
            (string Name, JsonNode? Node) found = (names[0], null);
            (string Name, JsonNode? Node)? blank = null;
            foreach (var name in names)
            {
                var node = app[name];
                if (IsBlank(node))
                {
                    blank ??= node is null ? null : (name, node);
                }
                else
                {
                    found = (name, node);
                }
            }

            return found.Node is null && blank is { } b ? b : found;
        }

        private static bool IsBlank(JsonNode? node) =>
            node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "");
    }
}
