using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Tests.Unit;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("soketi-config-").FullName;

    [Fact]
    public void Defaults_are_soketis()
    {
        var options = Load();

        Assert.Equal(("0.0.0.0", 6001, false, ""), (options.Host, options.Port, options.Debug, options.Gateway.PathPrefix));
        var app = Assert.Single(options.Apps);
        Assert.Equal(("app-id", "app-key", "app-secret", true, false), (app.Id, app.Key, app.Secret, app.Enabled, app.EnableClientMessages));
        Assert.Equal((-1, 200, 100, 200, 100.0, 10, 100, 2.0),
            (app.MaxConnections, app.MaxChannelNameLength, app.MaxEventChannelsAtOnce, app.MaxEventNameLength,
             app.MaxEventPayloadInKb, app.MaxEventBatchSize, app.MaxPresenceMembersPerChannel, app.MaxPresenceMemberSizeInKb));
        Assert.Equal(TimeSpan.FromSeconds(30), options.Gateway.WebSockets.ActivityTimeout);
        Assert.Equal(100L * 1024 * 1024, options.Gateway.HttpRequestLimitBytes);
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30)), (options.Gateway.UserAuthenticationTimeout, options.Gateway.ChannelCacheTtl));
    }

    [Fact]
    public void Socket_options_default_to_pushers_timeouts_and_bounds_and_read_their_variables()
    {
        Assert.Equal(new PusherSocketOptions(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), 1024 * 1024, 1000, 0), Load().Gateway.WebSockets);
        Assert.Equal(new PusherSocketOptions(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6), 2048 * 1024, 50, 200), Load(env: new()
        {
            ["SOKETI_WEBSOCKETS_ACTIVITY_TIMEOUT"] = "5",
            ["SOKETI_WEBSOCKETS_PONG_TIMEOUT"] = "6",
            ["SOKETI_WEBSOCKETS_MAX_BACKPRESSURE_IN_KB"] = "2048",
            ["SOKETI_WEBSOCKETS_MAX_CHANNELS_PER_SOCKET"] = "50",
            ["SOKETI_WEBSOCKETS_MAX_CONNECTIONS_PER_ADDRESS_PER_SECOND"] = "200",
        }).Gateway.WebSockets);
        Assert.Contains("websockets.maxChannelsPerSocket (SOKETI_WEBSOCKETS_MAX_CHANNELS_PER_SOCKET) must be an integer of at least 1; got 0",
            Assert.Throws<ConfigurationException>(() => Load(env: new() { ["SOKETI_WEBSOCKETS_MAX_CHANNELS_PER_SOCKET"] = "0" })).Problems);
        Assert.Contains("websockets.maxConnectionsPerAddressPerSecond (SOKETI_WEBSOCKETS_MAX_CONNECTIONS_PER_ADDRESS_PER_SECOND) must be an integer of at least 0; got -1",
            Assert.Throws<ConfigurationException>(() => Load(env: new() { ["SOKETI_WEBSOCKETS_MAX_CONNECTIONS_PER_ADDRESS_PER_SECOND"] = "-1" })).Problems);
    }

    [Fact]
    public void App_ids_may_not_contain_a_colon() =>
        Assert.Contains("appManager.array.apps.0.id (SOKETI_DEFAULT_APP_ID) must be a non-empty string without ':'; got \"a:b\"",
            Assert.Throws<ConfigurationException>(() => Load(env: new() { ["SOKETI_DEFAULT_APP_ID"] = "a:b" })).Problems);

    [Fact]
    public void Env_values_are_json_parsed_like_soketi_does()
    {
        var options = Load(env: new()
        {
            ["SOKETI_PORT"] = "7001",
            ["SOKETI_DEBUG"] = "1",
            ["SOKETI_DEFAULT_APP_ID"] = "12345",
            ["SOKETI_DEFAULT_APP_KEY"] = "key-1",
            ["SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES"] = "true",
            ["SOKETI_DEFAULT_APP_MAX_CONNS"] = "50",
            ["SOKETI_DEFAULT_APP_ALLOWED_ORIGINS"] = """["https://a.example"]""",
            ["SOKETI_CHANNEL_LIMITS_MAX_NAME_LENGTH"] = "150",
            ["SOKETI_PATH_PREFIX"] = "ws/",
        });

        Assert.Equal((7001, true, "/ws"), (options.Port, options.Debug, options.Gateway.PathPrefix));
        var app = Assert.Single(options.Apps);
        Assert.Equal(("12345", "key-1", true, 50, 150), (app.Id, app.Key, app.EnableClientMessages, app.MaxConnections, app.MaxChannelNameLength));
        Assert.Equal(["https://a.example"], app.AllowedOrigins);
    }

    [Fact]
    public void Empty_env_values_are_ignored_like_soketi_does() =>
        Assert.Equal(6001, Load(env: new() { ["SOKETI_PORT"] = "" }).Port);

    [Fact]
    public void Config_file_takes_dotted_keys_and_env_wins_over_it()
    {
        var file = Write("""
        {
          "port": 7002,
          "debug": true,
          "appManager.array.apps": [
            { "id": "a1", "key": "k1", "secret": "s1", "enableClientMessages": true, "maxPresenceMembersPerChannel": 5 },
            { "AppId": "a2", "AppKey": "k2", "AppSecret": "s2", "enable_client_messages": 1, "max_event_payload_in_kb": "12" }
          ],
          "presence.maxMemberSizeInKb": 4
        }
        """);

        var options = Load(["start", $"--config={file}"], new() { ["SOKETI_PORT"] = "7003", ["SOKETI_DEFAULT_APP_SECRET"] = "from-env" });

        Assert.Equal((7003, true), (options.Port, options.Debug));
        Assert.Equal(2, options.Apps.Count);
        Assert.Equal(("a1", "k1", "from-env", true, 5, 4.0),
            (options.Apps[0].Id, options.Apps[0].Key, options.Apps[0].Secret, options.Apps[0].EnableClientMessages,
             options.Apps[0].MaxPresenceMembersPerChannel, options.Apps[0].MaxPresenceMemberSizeInKb));
        Assert.Equal(("a2", "k2", "s2", true, 12.0),
            (options.Apps[1].Id, options.Apps[1].Key, options.Apps[1].Secret, options.Apps[1].EnableClientMessages, options.Apps[1].MaxEventPayloadInKb));
    }

    /// <summary>
    /// Found by the coverage-guided fuzzer (fuzz/): a key given twice in the file, or in a variable's
    /// JSON, threw out of start-up (an ArgumentException, not a configuration problem). soketi's
    /// JSON.parse keeps the last value.
    /// </summary>
    [Fact]
    public void A_key_given_twice_takes_its_last_value_as_in_soketi()
    {
        var file = Write("""
        {
          "port": 7002,
          "websockets": { "maxChannelsPerSocket": 5, "maxChannelsPerSocket": 6 },
          "port": 7004
        }
        """);

        var options = Load(["start", $"--config={file}"], new()
        {
            ["SOKETI_DEFAULT_APP_ID"] = "app-id",
            ["SOKETI_DEFAULT_APP_WEBHOOKS"] = """[{ "url": "http://127.0.0.1:1/a", "url": "http://127.0.0.1:1/b", "event_types": ["channel_occupied"] }]""",
        });

        Assert.Equal((7004, 6), (options.Port, options.Gateway.WebSockets.MaxChannelsPerSocket));
        Assert.Equal("http://127.0.0.1:1/b", Assert.Single(options.Apps[0].Webhooks).Url.ToString());
    }

    /// <summary>Found by the coverage-guided fuzzer (fuzz/): an escape of half a surrogate pair threw out of start-up when the value was read.</summary>
    [Fact]
    public void A_lone_surrogate_escape_in_the_file_stops_start_up_naming_the_file()
    {
        var file = Write("""{ "appManager.array.apps": [{ "id": "\ud800", "key": "k", "secret": "s" }] }""");

        var problem = Assert.Single(Assert.Throws<ConfigurationException>(() => Load(["start", $"--config={file}"])).Problems);

        Assert.StartsWith($"--config: cannot read \"{file}\": A string holds an escape of half a surrogate pair", problem);
    }

    [Fact]
    public void Nested_objects_in_the_file_merge_into_the_defaults()
    {
        var file = Write("""{ "eventLimits": { "maxBatchSize": 20 }, "appManager": { "array": { "apps": [ { "id": "n", "key": "nk", "secret": "ns" } ] } } }""");

        var options = Load(["--config", file]);

        var app = Assert.Single(options.Apps);
        Assert.Equal(("n", 20, 100), (app.Id, app.MaxEventBatchSize, app.MaxEventChannelsAtOnce));
    }

    [Theory]
    [InlineData("SOKETI_PORT", "abc", "port (SOKETI_PORT) must be an integer from 1 to 65535; got \"abc\"")]
    [InlineData("SOKETI_PORT", "70000", "port (SOKETI_PORT) must be an integer from 1 to 65535; got 70000")]
    [InlineData("SOKETI_DEBUG", "maybe", "debug (SOKETI_DEBUG) must be true or false (or 1/0); got \"maybe\"")]
    [InlineData("SOKETI_HOST", "example.com", "host (SOKETI_HOST): \"example.com\" is not an IP address; allowed: an IPv4/IPv6 address or localhost")]
    [InlineData("SOKETI_ADAPTER_DRIVER", "nats", "adapter.driver (SOKETI_ADAPTER_DRIVER): \"nats\" is not supported by this server; allowed: local, redis, cluster")]
    [InlineData("SOKETI_ADAPTER_DRIVER", "kafka", "adapter.driver (SOKETI_ADAPTER_DRIVER): \"kafka\" is not a known value; allowed: local, redis, cluster")]
    [InlineData("SOKETI_APP_MANAGER_DRIVER", "mysql", "appManager.driver (SOKETI_APP_MANAGER_DRIVER): \"mysql\" is not supported by this server; allowed: array")]
    [InlineData("SOKETI_MODE", "worker", "mode (SOKETI_MODE): \"worker\" needs adapter.driver (SOKETI_ADAPTER_DRIVER) \"redis\": split roles find each other through Redis")]
    [InlineData("SOKETI_MODE", "both", "mode (SOKETI_MODE): \"both\" is not a known value; allowed: full, server, worker")]
    [InlineData("SOKETI_QUEUE_DRIVER", "redis", "queue.driver (SOKETI_QUEUE_DRIVER): \"redis\" needs adapter.driver (SOKETI_ADAPTER_DRIVER) \"redis\"; allowed here: sync")]
    [InlineData("SOKETI_DEFAULT_APP_MAX_CONNS", "lots", "appManager.array.apps.0.maxConnections (SOKETI_DEFAULT_APP_MAX_CONNS) must be an integer, -1 for no limit; got \"lots\"")]
    [InlineData("SOKETI_DEFAULT_APP_KEY", "\"\"", "appManager.array.apps.0.key (SOKETI_DEFAULT_APP_KEY) must be a non-empty string; got \"\"")]
    [InlineData("SOKETI_EVENT_MAX_SIZE_IN_KB", "0", "eventLimits.maxPayloadInKb (SOKETI_EVENT_MAX_SIZE_IN_KB) must be a positive number; got 0")]
    [InlineData("SOKETI_SSL_CERT", "/etc/cert.pem", "ssl.keyPath (SOKETI_SSL_KEY) must be set too: ssl.certPath (SOKETI_SSL_CERT) is set, and TLS needs the certificate and its private key")]
    [InlineData("SOKETI_WEBSOCKETS_ACTIVITY_TIMEOUT", "0", "websockets.activityTimeout (SOKETI_WEBSOCKETS_ACTIVITY_TIMEOUT) must be an integer from 1 to 3600; got 0")]
    public void Invalid_values_name_the_key_the_env_var_and_what_is_allowed(string name, string value, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(env: new() { [name] = value }));
        Assert.Contains(problem, error.Problems);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(env: new() { ["SOKETI_PORT"] = "x", ["SOKETI_DEBUG"] = "y" }));
        Assert.Equal(2, error.Problems.Count);
    }

    [Fact]
    public void Apps_must_have_distinct_ids_and_keys()
    {
        var file = Write("""{ "appManager.array.apps": [ { "id": "a", "key": "k", "secret": "s" }, { "id": "a", "key": "k", "secret": "t" } ] }""");

        var error = Assert.Throws<ConfigurationException>(() => Load([$"--config={file}"]));

        Assert.Contains("appManager.array.apps: two apps have the id \"a\"; each app needs its own", error.Problems);
        Assert.Contains("appManager.array.apps: two apps have the key \"k\"; each app needs its own", error.Problems);
    }

    [Fact]
    public void A_broken_or_missing_config_file_stops_start_up()
    {
        var broken = Write("{ not json");
        Assert.StartsWith($"--config: cannot read \"{broken}\"", Assert.Throws<ConfigurationException>(() => Load([$"--config={broken}"])).Problems[0]);
        Assert.StartsWith("--config: cannot read \"/no/such/file.json\"", Assert.Throws<ConfigurationException>(() => Load(["--config=/no/such/file.json"])).Problems[0]);
    }

    [Fact]
    public void Unknown_arguments_stop_start_up() =>
        Assert.Equal("unknown command-line argument \"--port=1\"; allowed: [start] --config=<file.json>",
            Assert.Single(Assert.Throws<ConfigurationException>(() => Load(["--port=1"])).Problems));

    private static SoketiOptions Load(string[]? args = null, Dictionary<string, string>? env = null) =>
        ConfigLoader.Load(args ?? [], env ?? []);

    private string Write(string json)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
