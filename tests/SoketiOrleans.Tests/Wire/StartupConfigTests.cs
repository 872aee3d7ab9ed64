using System.Net.WebSockets;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>How the binary reads its configuration: env vars and soketi's <c>--config</c> file.</summary>
public sealed class StartupConfigTests : IDisposable
{
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("soketi-orleans-config-");

    private string ConfigFile(string json)
    {
        var path = Path.Combine(_temp.FullName, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static async Task<string> FailedStartOutput(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        await using var server = ServerProcess.Launch(env, args);
        var exitCode = await server.WaitForExit(ExitWithin);
        Assert.True(exitCode == 2, $"Expected start-up to stop with exit code 2 (docs/configuration.md), got {exitCode}:\n{server.Output}");
        return server.Output;
    }

    private static async Task AssertAppKeyWorks(ServerProcess server, string key)
    {
        await using var client = await RawPusherClient.Connect(server.WebSocketUri(key));
        await client.ExpectPong();
    }

    private static async Task AssertAppKeyUnknown(ServerProcess server, string key)
    {
        await using var client = await RawPusherClient.Open(server.WebSocketUri(key));
        Assert.Equal($$$"""{"event":"pusher:error","data":{"code":4001,"message":"App key {{{key}}} does not exist."}}""", await client.Next());
        Assert.Equal((WebSocketCloseStatus)4001, (await client.WaitForClose()).Status);
    }

    [Fact]
    public async Task Port_that_is_not_a_number_stops_start_up_naming_key_and_env_var()
    {
        var output = await FailedStartOutput(new Dictionary<string, string> { ["SOKETI_PORT"] = "abc" });

        Assert.Contains("port (SOKETI_PORT) must be an integer from 1 to 65535; got \"abc\"", output);
    }

    [Fact]
    public async Task Unsupported_adapter_driver_stops_start_up_naming_key_and_env_var()
    {
        var output = await FailedStartOutput(new Dictionary<string, string> { ["SOKETI_ADAPTER_DRIVER"] = "nats" });

        Assert.Contains("""adapter.driver (SOKETI_ADAPTER_DRIVER): "nats" is not supported by this server; allowed: local, redis, cluster""", output);
    }

    [Fact]
    public async Task Every_invalid_value_is_reported_in_one_go()
    {
        var output = await FailedStartOutput(new Dictionary<string, string>
        {
            ["SOKETI_ADAPTER_DRIVER"] = "nats",
            ["SOKETI_WEBSOCKETS_ACTIVITY_TIMEOUT"] = "soon",
        });

        Assert.Contains("SOKETI_ADAPTER_DRIVER", output);
        Assert.Contains("SOKETI_WEBSOCKETS_ACTIVITY_TIMEOUT", output);
    }

    [Fact]
    public async Task Unreadable_config_file_stops_start_up()
    {
        var output = await FailedStartOutput(new Dictionary<string, string>(), $"--config={Path.Combine(_temp.FullName, "missing.json")}");

        Assert.Contains("missing.json", output);
    }

    [Fact]
    public async Task Config_file_with_dotted_keys_is_honoured()
    {
        var file = ConfigFile("""{"appManager.array.apps":[{"id":"a1","key":"k1","secret":"s1"}], "debug": true}""");

        await using var server = await ServerProcess.Start(new Dictionary<string, string>(), $"--config={file}");

        await AssertAppKeyWorks(server, "k1");
        await AssertAppKeyUnknown(server, "app-key");
        using var api = new PusherApi(server.HttpUri, new PusherSigner("a1", "k1", "s1"));
        ApiAssert.IsOk(await api.Trigger("config-test", "e", "d"));
    }

    [Fact]
    public async Task Config_file_with_nested_keys_is_honoured()
    {
        var file = ConfigFile("""{"appManager":{"array":{"apps":[{"id":"a1","key":"k1","secret":"s1"}]}},"debug":true}""");

        await using var server = await ServerProcess.Start(new Dictionary<string, string>(), "--config", file);

        await AssertAppKeyWorks(server, "k1");
        await AssertAppKeyUnknown(server, "app-key");
    }

    [Fact]
    public async Task Env_var_overrides_the_config_file()
    {
        var file = ConfigFile("""{"appManager.array.apps":[{"id":"a1","key":"k1","secret":"s1"}]}""");

        await using var server = await ServerProcess.Start(new Dictionary<string, string> { ["SOKETI_DEFAULT_APP_KEY"] = "k2" }, $"--config={file}");

        await AssertAppKeyWorks(server, "k2");
        await AssertAppKeyUnknown(server, "k1");
    }

    public void Dispose() => _temp.Delete(recursive: true);
}
