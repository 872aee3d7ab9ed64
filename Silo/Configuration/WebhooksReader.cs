using System.Text.Json;
using System.Text.Json.Nodes;
using SoketiOrleans.Grains.Webhooks;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>
/// Reads an app's <c>webhooks</c> in soketi's shape:
/// <c>[{ url, event_types, filter: { channel_name_starts_with, channel_name_ends_with }, headers }]</c>.
/// soketi's AWS Lambda targets are refused: this server only POSTs to URLs.
/// </summary>
internal static class WebhooksReader
{
    private static readonly string AllowedTypes = string.Join(", ", WebhookEventNames.All);

    public static IReadOnlyList<WebhookTarget> Read(OptionsReader options, JsonNode? node, string path)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            options.Problem(path, node, "an array of webhooks ({ url, event_types, filter, headers })");
            return [];
        }

        var targets = new List<WebhookTarget>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject webhook)
            {
                if (ReadOne(options, webhook, $"{path}.{i}") is { } target)
                {
                    targets.Add(target);
                }
            }
            else
            {
                options.Problem($"{path}.{i}", array[i], "an object");
            }
        }

        return targets;
    }

    private static WebhookTarget? ReadOne(OptionsReader options, JsonObject webhook, string path)
    {
        foreach (var lambdaKey in new[] { "lambda_function", "lambda" })
        {
            if (webhook[lambdaKey] is not null)
            {
                options.Problems.Add($"{path}.{lambdaKey}: AWS Lambda webhook targets are not supported by this server; give the webhook a url instead");
            }
        }

        var url = Url(options, webhook["url"], $"{path}.url");
        var eventTypes = EventTypes(options, webhook["event_types"], $"{path}.event_types");
        var filter = webhook["filter"];
        if (filter is not (null or JsonObject))
        {
            options.Problem($"{path}.filter", filter, "an object with channel_name_starts_with and/or channel_name_ends_with");
        }

        var startsWith = OptionalString(options, filter?["channel_name_starts_with"], $"{path}.filter.channel_name_starts_with");
        var endsWith = OptionalString(options, filter?["channel_name_ends_with"], $"{path}.filter.channel_name_ends_with");
        var headers = Headers(options, webhook["headers"], $"{path}.headers");
        return url is null || eventTypes is null
            ? null
            : new WebhookTarget
            {
                Url = url,
                EventTypes = eventTypes,
                ChannelNameStartsWith = startsWith,
                ChannelNameEndsWith = endsWith,
                Headers = headers,
            };
    }

    private static Uri? Url(OptionsReader options, JsonNode? node, string path)
    {
        if (ConfigValue.TryString(node, out var text) && Uri.TryCreate(text, UriKind.Absolute, out var url)
            && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return url;
        }

        options.Problem(path, node, "an absolute http:// or https:// URL");
        return null;
    }

    private static HashSet<string>? EventTypes(OptionsReader options, JsonNode? node, string path)
    {
        if (ConfigValue.TryStrings(node, out var types) && types.Count > 0 && types.All(WebhookEventNames.All.Contains))
        {
            return new HashSet<string>(types, StringComparer.Ordinal);
        }

        options.Problem(path, node, $"a non-empty array of event types from: {AllowedTypes}");
        return null;
    }

    private static string? OptionalString(OptionsReader options, JsonNode? node, string path) =>
        node is null ? null : options.Read<string?>(path, node, null, "a string", (JsonNode n, out string? v) =>
        {
            var ok = ConfigValue.TryString(n, out var s);
            v = s;
            return ok;
        });

    private static IReadOnlyDictionary<string, string> Headers(OptionsReader options, JsonNode? node, string path)
    {
        if (node is null)
        {
            return new Dictionary<string, string>();
        }

        if (node is JsonObject headers && headers.All(h => h.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String))
        {
            return headers.ToDictionary(h => h.Key, h => h.Value!.GetValue<string>(), StringComparer.Ordinal);
        }

        options.Problem(path, node, "an object of header names to string values");
        return new Dictionary<string, string>();
    }
}
