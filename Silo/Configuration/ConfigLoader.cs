using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Grains.Webhooks;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>
/// soketi's order: defaults, then the <c>--config</c> file (dotted or nested keys), then
/// <c>SOKETI_*</c> env vars. Any invalid value stops start-up with every problem listed, except
/// one from an unprefixed variable, which is ignored with a warning (<see cref="UnprefixedVariable"/>).
/// </summary>
public static partial class ConfigLoader
{
    public static SoketiOptions Load(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var problems = new List<string>();
        var root = SoketiDefaults.Create();
        if (ConfigFileArgument(args, problems) is { } file)
        {
            ApplyFile(root, file, problems);
        }

        var reader = new OptionsReader(root, ApplyEnvironment(root, environment, problems));
        var options = Read(reader);
        problems.AddRange(reader.Problems);
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        return options with { Warnings = [.. reader.Warnings] };
    }

    public static IReadOnlyDictionary<string, string> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);

    private static string? ConfigFileArgument(IReadOnlyList<string> args, List<string> problems)
    {
        string? file = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (i == 0 && arg == "start")
            {
                continue; // `soketi start --config=…` habits
            }

            if (arg.StartsWith("--config=", StringComparison.Ordinal))
            {
                file = arg["--config=".Length..];
            }
            else if (arg == "--config" && i + 1 < args.Count)
            {
                file = args[++i];
            }
            else
            {
                problems.Add($"unknown command-line argument \"{arg}\"; allowed: [start] --config=<file.json>");
            }
        }

        return file;
    }

    private static void ApplyFile(JsonObject root, string file, List<string> problems)
    {
        JsonNode? parsed;
        try
        {
            parsed = SoketiJson.Parse(File.ReadAllText(file), new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            problems.Add($"--config: cannot read \"{file}\": {e.Message}");
            return;
        }

        if (parsed is not JsonObject entries)
        {
            problems.Add($"--config: \"{file}\" must hold a JSON object of option keys");
            return;
        }

        foreach (var (key, value) in entries)
        {
            try
            {
                ConfigTree.Set(root, key, value);
            }
            catch (InvalidOperationException e)
            {
                problems.Add($"--config: key \"{key}\": {e.Message}");
            }
        }
    }

    /// <returns>The option paths set from unprefixed variables, with what they replaced.</returns>
    private static Dictionary<string, UnprefixedVariable> ApplyEnvironment(JsonObject root, IReadOnlyDictionary<string, string> environment, List<string> problems)
    {
        var unprefixed = new Dictionary<string, UnprefixedVariable>(StringComparer.Ordinal);
        foreach (var (name, path) in EnvironmentVariables.Paths)
        {
            if (EnvironmentVariables.Value(environment, name) is not (var raw, var prefixed))
            {
                continue;
            }

            var before = ConfigTree.Get(root, path)?.DeepClone();
            try
            {
                ConfigTree.Set(root, path, ParseLikeSoketi(raw));
            }
            catch (InvalidOperationException e)
            {
                problems.Add($"{(prefixed ? EnvironmentVariables.Prefix : "")}{name}: {e.Message}");
                continue;
            }

            if (!prefixed)
            {
                unprefixed[path] = new UnprefixedVariable(name, raw, before);
            }
        }

        return unprefixed;
    }

    /// <summary>soketi JSON-parses env values and keeps the string when that fails.</summary>
    private static JsonNode ParseLikeSoketi(string raw)
    {
        try
        {
            return SoketiJson.Parse(raw) ?? JsonValue.Create(raw);
        }
        catch (JsonException)
        {
            return JsonValue.Create(raw);
        }
    }

    private static SoketiOptions Read(OptionsReader r)
    {
        var role = Enum.Parse<ServerRole>(r.OneOf("mode", "full", ["full", "server", "worker"], []), ignoreCase: true);
        var adapter = r.OneOf("adapter.driver", "local", ["local", "redis", "cluster"], ["nats"]);
        if (role != ServerRole.Full && adapter != "redis")
        {
            r.Problems.Add($"{EnvironmentVariables.Describe("mode")}: \"{role.ToString().ToLowerInvariant()}\" needs {EnvironmentVariables.Describe("adapter.driver")} \"redis\": split roles find each other through Redis");
        }

        r.OneOf("appManager.driver", "array", ["array"], ["mysql", "postgres", "dynamodb"]);
        NamedAfterAdapter(r, adapter, "cache.driver", "memory", ["redis"], ["sqs"]);
        NamedAfterAdapter(r, adapter, "queue.driver", "sync", ["redis"], ["sqs"]);
        NamedAfterAdapter(r, adapter, "rateLimiter.driver", "local", ["redis", "cluster"], []);

        var appDefaults = new App
        {
            Id = "",
            Key = "",
            Secret = "",
            MaxChannelNameLength = r.Int("channelLimits.maxNameLength", 1, int.MaxValue, 200),
            MaxEventChannelsAtOnce = r.Int("eventLimits.maxChannelsAtOnce", 1, int.MaxValue, 100),
            MaxEventNameLength = r.Int("eventLimits.maxNameLength", 1, int.MaxValue, 200),
            MaxEventPayloadInKb = r.PositiveNumber("eventLimits.maxPayloadInKb", 100),
            MaxEventBatchSize = r.Int("eventLimits.maxBatchSize", 1, int.MaxValue, 10),
            MaxPresenceMembersPerChannel = r.Int("presence.maxMembersPerChannel", 1, int.MaxValue, 100),
            MaxPresenceMemberSizeInKb = r.PositiveNumber("presence.maxMemberSizeInKb", 2),
        };

        var apps = AppsReader.Read(r, appDefaults);
        var gracePeriod = TimeSpan.FromMilliseconds(r.Int("shutdownGracePeriod", 0, int.MaxValue, 3000));
        var drainDelay = TimeSpan.FromMilliseconds(r.Int("shutdownDrainDelay", 0, int.MaxValue, 0));
        return new SoketiOptions
        {
            Role = role,
            Redis = adapter == "redis" ? RedisReader.Read(r) : null,
            Discovery = adapter == "cluster" ? ClusterReader.Read(r) : null,
            Host = Host(r),
            Port = r.Int("port", 1, 65535, 6001),
            Tls = TlsReader.Read(r),
            Debug = r.Bool("debug"),
            ShutdownGracePeriod = gracePeriod,
            ShutdownDrainDelay = drainDelay,
            JsonLogs = r.OneOf("logFormat", "text", ["text", "json"], []) == "json",
            EventLoops = r.OneOf("transport", "loop", ["loop", "sockets"], []) == "loop",
            Metrics = Metrics(r),
            Gateway = new GatewayOptions(
                PathPrefix(r.String("pathPrefix")),
                new PusherSocketOptions(
                    TimeSpan.FromSeconds(r.Int("websockets.activityTimeout", 1, 3600, 30)),
                    TimeSpan.FromSeconds(r.Int("websockets.pongTimeout", 1, 3600, 30)),
                    r.Int("websockets.maxBackpressureInKb", 1, int.MaxValue, 1024) * 1024L,
                    r.Int("websockets.maxChannelsPerSocket", 1, int.MaxValue, 1000),
                    r.Int("websockets.maxConnectionsPerAddressPerSecond", 0, int.MaxValue, 0)),
                (long)(r.PositiveNumber("httpApi.requestLimitInMb", 100) * 1024 * 1024),
                TimeSpan.FromMilliseconds(r.Int("userAuthenticationTimeout", 1, int.MaxValue, 30000)),
                TimeSpan.FromSeconds(r.Int("channelLimits.cacheTtl", 1, int.MaxValue, 1800)),
                new DrainOptions(drainDelay, gracePeriod),
                r.PositiveNumber("httpApi.acceptTraffic.memoryThreshold", 85),
                CorsReader.Read(r)),
            Orleans = new OrleansOptions(
                r.Int("orleans.siloPort", 0, 65535, 0),
                r.Int("orleans.primarySiloPort", 0, 65535, 0),
                r.Int("orleans.gatewayPort", 0, 65535, 0),
                r.String("orleans.clusterId", "soketi"),
                r.String("orleans.serviceId", "soketi")),
            Apps = apps,
            Webhooks = Webhooks(r),
        };
    }

    /// <summary>
    /// soketi's cache, queue and rate-limiter drivers named after an adapter (<c>redis</c>, <c>cluster</c>)
    /// share their state through that adapter. This server keeps the webhook queue and cached events in
    /// Redis in <c>redis</c> mode and counts rate limits cluster-wide in every mode, whatever these say,
    /// so such a value is accepted with its adapter (operators keep their soketi settings); with
    /// another adapter it is refused, naming the adapter it needs.
    /// </summary>
    /// <param name="adapters">The adapter drivers this option may name.</param>
    private static void NamedAfterAdapter(OptionsReader r, string adapter, string path, string fallback, string[] adapters, string[] known)
    {
        string[] allowed = [fallback, .. adapters.Where(a => a == adapter)];
        var value = r.String(path, fallback);
        if (adapters.Contains(value, StringComparer.Ordinal) && value != adapter)
        {
            r.Problems.Add($"{EnvironmentVariables.Describe(path)}: \"{value}\" needs {EnvironmentVariables.Describe("adapter.driver")} \"{value}\"; allowed here: {string.Join(", ", allowed)}");
            return;
        }

        r.OneOf(path, fallback, allowed, known);
    }

    private static MetricsOptions Metrics(OptionsReader r)
    {
        var d = MetricsOptions.Defaults;
        r.OneOf("metrics.driver", "prometheus", ["prometheus"], []);
        var prefix = r.String("metrics.prometheus.prefix", d.Prefix);
        if (!PrometheusPrefix().IsMatch(prefix))
        {
            r.Problems.Add($"{EnvironmentVariables.Describe("metrics.prometheus.prefix")}: \"{prefix}\" cannot start a Prometheus metric name; allowed: letters, digits, _ and :, not starting with a digit");
        }

        return new MetricsOptions(r.Bool("metrics.enabled"), Host(r, "metrics.host"), r.Int("metrics.port", 0, 65535, d.Port), prefix);
    }

    [GeneratedRegex("^([a-zA-Z_:][a-zA-Z0-9_:]*)?$")]
    private static partial Regex PrometheusPrefix();

    private static WebhookOptions Webhooks(OptionsReader r)
    {
        var d = WebhookOptions.Defaults;
        return new WebhookOptions(
            r.Bool("webhooks.batching.enabled"),
            r.Milliseconds("webhooks.batching.duration", 1, d.BatchingDuration),
            r.Milliseconds("webhooks.timeout", 1, d.Timeout),
            r.Milliseconds("webhooks.retry.initialDelay", 1, d.RetryInitialDelay),
            r.Milliseconds("webhooks.retry.maxDelay", 1, d.RetryMaxDelay),
            r.Milliseconds("webhooks.retry.giveUpAfter", 0, d.GiveUpAfter));
    }

    private static string Host(OptionsReader r, string path = "host")
    {
        var host = r.String(path, "0.0.0.0");
        if (host != "localhost" && !IPAddress.TryParse(host, out _))
        {
            r.Problems.Add($"{EnvironmentVariables.Describe(path)}: \"{host}\" is not an IP address; allowed: an IPv4/IPv6 address or localhost");
        }

        return host;
    }

    private static string PathPrefix(string prefix)
    {
        prefix = prefix.Trim().TrimEnd('/');
        return prefix.Length == 0 || prefix.StartsWith('/') ? prefix : "/" + prefix;
    }
}
