using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Redis;

/// <summary>Starting processes in <c>redis</c> mode: what they need, and the one-line errors when something is missing.</summary>
public sealed class RedisStartupTests
{
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(30);

    private static async Task<string> FailedStart(IReadOnlyDictionary<string, string> env, int expectedExitCode = 1)
    {
        await using var server = ServerProcess.Launch(env);
        var exitCode = await server.WaitForExit(ExitWithin);
        Assert.True(exitCode == expectedExitCode, $"Expected exit code {expectedExitCode}, got {exitCode}:\n{server.Output}");
        Assert.DoesNotContain("   at ", server.Output); // a message, not a stack trace
        return server.Output.Trim();
    }

    [Fact]
    public async Task An_unreachable_redis_stops_start_up_after_bounded_retries_naming_the_address_and_its_variables()
    {
        var port = FreePort.Next();

        var output = await FailedStart(new Dictionary<string, string>
        {
            ["SOKETI_ADAPTER_DRIVER"] = "redis",
            ["SOKETI_DB_REDIS_PORT"] = port.ToString(),
        });

        Assert.StartsWith($"Cannot reach Redis at 127.0.0.1:{port} (SOKETI_DB_REDIS_HOST, SOKETI_DB_REDIS_PORT) after 10 s", output);
        Assert.Single(output.Split('\n'));
    }

    [Fact]
    public async Task A_busy_http_port_stops_start_up_with_one_line_naming_it()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var output = await FailedStart(new Dictionary<string, string> { ["SOKETI_PORT"] = port.ToString() });

        Assert.Equal($"Port {port} (SOKETI_PORT) is already in use on 127.0.0.1; stop what holds it or choose another port", output);
    }

    [Fact]
    public async Task A_silo_port_held_by_another_server_stops_start_up_instead_of_sharing_it()
    {
        await using var redis = await RedisServer.Start();
        await using var first = await ServerProcess.Start(redis.Environment());

        var output = await FailedStart(new Dictionary<string, string>(redis.Environment()) { ["SOKETI_ORLEANS_SILO_PORT"] = first.SiloPort.ToString() });

        Assert.Equal($"Port {first.SiloPort} (SOKETI_ORLEANS_SILO_PORT) is already in use on 127.0.0.1; stop what holds it or choose another port", output);
    }

    [Fact]
    public async Task Nodes_on_one_host_need_nothing_but_their_own_http_port()
    {
        await using var redis = await RedisServer.Start();
        var env = new Dictionary<string, string>(redis.Environment()) { ["SOKETI_ORLEANS_SILO_PORT"] = "0" }; // unset: chosen free
        await using var a = await ServerProcess.Start(env);
        await using var b = await ServerProcess.Start(env);
        await using var onB = await RawPusherClient.Connect(b.WebSocketUri());
        var channel = Names.Unique("one-host-");
        await onB.SubscribePublic(channel);

        using var apiA = new PusherApi(a.HttpUri);
        ApiAssert.IsOk(await apiA.Trigger(channel, "hello", "1"));

        Assert.Equal(Frames.Event("hello", channel, "1"), await onB.Next());
    }

    [Fact]
    public async Task Two_clusters_with_different_prefixes_on_one_redis_never_see_each_other()
    {
        await using var redis = await RedisServer.Start();
        await using var blueA = await ServerProcess.Start(redis.Environment("blue-"));
        await using var blueB = await ServerProcess.Start(redis.Environment("blue-"));
        await using var green = await ServerProcess.Start(redis.Environment("green-"));
        var channel = Names.Unique("shared-name-");
        await using var onBlueB = await RawPusherClient.Connect(blueB.WebSocketUri());
        await using var onGreen = await RawPusherClient.Connect(green.WebSocketUri());
        await onBlueB.SubscribePublic(channel);
        await onGreen.SubscribePublic(channel);

        using var apiBlueA = new PusherApi(blueA.HttpUri);
        using var apiGreen = new PusherApi(green.HttpUri);
        ApiAssert.IsOk(await apiBlueA.Trigger(channel, "blue", "1"));

        Assert.Equal(Frames.Event("blue", channel, "1"), await onBlueB.Next());
        await onGreen.AssertSilent();
        Assert.Equal((200, $$"""{"occupied":true,"subscription_count":1}"""), await apiGreen.Get($"/channels/{channel}", new Dictionary<string, string> { ["info"] = "subscription_count" }));
        Assert.Equal((200, $$"""{"occupied":true,"subscription_count":1}"""), await apiBlueA.Get($"/channels/{channel}", new Dictionary<string, string> { ["info"] = "subscription_count" }));
        Assert.Equal(["blue-soketi:members:soketi:soketi", "green-soketi:members:soketi:soketi"],
            (await redis.Command("--raw", "KEYS", "*members*")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
    }

    [Fact]
    public async Task A_server_started_before_any_silo_waits_for_one_and_then_serves()
    {
        await using var redis = await RedisServer.Start();
        await using var server = ServerProcess.Launch(new Dictionary<string, string>(redis.Environment()) { ["SOKETI_MODE"] = "server" });
        await Eventually.Get(() => Task.FromResult(server.Output), o => o.Contains("cannot initialize until at least one gateway becomes available"),
            "the server to wait for a silo", TimeSpan.FromSeconds(30));
        await using var worker = await ServerProcess.Start(new Dictionary<string, string>(redis.Environment()) { ["SOKETI_MODE"] = "worker" });

        await server.WaitUntilReady();

        Assert.False(server.HasExited);
        var channel = Names.Unique("late-silo-");
        await using var client = await RawPusherClient.Connect(server.WebSocketUri());
        await client.SubscribePublic(channel);
        using var api = new PusherApi(server.HttpUri);
        ApiAssert.IsOk(await api.Trigger(channel, "hello", "1"));
        Assert.Equal(Frames.Event("hello", channel, "1"), await client.Next());
    }

    [Fact]
    public async Task A_worker_answers_only_the_health_checks()
    {
        await using var redis = await RedisServer.Start();
        await using var worker = await ServerProcess.Start(new Dictionary<string, string>(redis.Environment()) { ["SOKETI_MODE"] = "worker" });
        using var http = new HttpClient { BaseAddress = worker.HttpUri };

        Assert.Equal((200, "OK"), await Answer(http, "/"));
        Assert.Equal((200, "OK"), await Answer(http, "/ready"));
        Assert.Equal(404, (int)(await http.GetAsync("/apps/app-id/channels")).StatusCode);
        Assert.Equal(404, (int)(await http.GetAsync("/app/app-key?protocol=7")).StatusCode);
        Assert.Equal(404, (int)(await http.PostAsync("/apps/app-id/events", new StringContent("{}"))).StatusCode);
    }

    [Fact]
    public async Task A_node_listening_on_every_address_advertises_the_machines_own_to_the_others()
    {
        await using var redis = await RedisServer.Start();
        await using var worker = await ServerProcess.Start(new Dictionary<string, string>(redis.Environment())
        {
            ["SOKETI_HOST"] = "0.0.0.0",
            ["SOKETI_MODE"] = "worker",
        });

        var row = await redis.Command("--raw", "HVALS", "soketi:members:soketi:soketi");
        var advertised = Regex.Match(row, "\"SiloAddress\":\"([0-9.]+):" + worker.SiloPort + "@").Groups[1].Value;
        var own = NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork).Select(a => a.ToString()).ToArray();
        Assert.Contains(advertised, own.Length > 0 ? own : ["127.0.0.1"]);
    }

    private static async Task<(int Status, string Body)> Answer(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
