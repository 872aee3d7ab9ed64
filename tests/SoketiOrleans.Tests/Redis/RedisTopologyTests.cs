using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Redis;

/// <summary>
/// The Redis topologies soketi offers, each with real <c>redis-server</c> processes on loopback and
/// two real servers in <c>redis</c> mode: sentinel, Redis Cluster and TLS. Each must carry the whole
/// mode: membership (events cross nodes), the webhook queue and cache channels.
/// </summary>
public sealed class RedisTopologyTests
{
    private const string MembershipKey = "soketi:members:soketi:soketi";
    private const string HookPath = "/hooks";

    [Fact]
    public async Task Sentinel_gives_the_primary_to_nodes_configured_with_nothing_but_the_sentinel()
    {
        await using var redis = await RedisSentinel.Start();
        await using var a = await ServerProcess.Start(redis.Environment());
        await using var b = await ServerProcess.Start(redis.Environment());

        await AssertDeliveryAcrossNodes(a, b);
        Assert.Equal(MembershipKey, await redis.Primary.Command("--raw", "KEYS", "*members*"));
        await AssertBothSilosListed(() => redis.Primary.Command("--raw", "HKEYS", MembershipKey), a, b);
    }

    [Theory]
    [InlineData("data-secret", "sentinel-secret")]
    [InlineData("data-secret", null)]
    [InlineData(null, "sentinel-secret")]
    public async Task Sentinel_and_primary_passwords_are_each_sent_where_they_belong(string? password, string? sentinelPassword)
    {
        await using var redis = await RedisSentinel.Start(password, sentinelPassword);
        var env = redis.Environment();
        if (password is not null)
        {
            env["SOKETI_DB_REDIS_PASSWORD"] = password;
        }

        if (sentinelPassword is not null)
        {
            env["SOKETI_DB_REDIS_SENTINEL_PASSWORD"] = sentinelPassword;
        }

        await using var a = await ServerProcess.Start(env);
        await using var b = await ServerProcess.Start(env);

        await AssertDeliveryAcrossNodes(a, b);
        Assert.Equal(MembershipKey, await redis.Primary.Command("--raw", "KEYS", "*members*"));
    }

    [Fact]
    public async Task A_redis_cluster_carries_membership_webhooks_and_cached_events()
    {
        await using var redis = await RedisClusterNodes.Start();
        await using var receiver = new WebhookReceiver();
        var env = redis.Environment();
        env["SOKETI_DEFAULT_APP_WEBHOOKS"] = $$"""[{"url":"{{receiver.Url(HookPath)}}","event_types":["channel_occupied"]}]""";
        await using var a = await ServerProcess.Start(env);
        await using var b = await ServerProcess.Start(env);

        var channel = await AssertDeliveryAcrossNodes(a, b);
        await AssertBothSilosListed(() => redis.Command("--raw", "HKEYS", MembershipKey), a, b);

        var occupied = await receiver.WaitForEvents(HookPath, channel, 1);
        Assert.Equal("channel_occupied", WebhookReceiver.Names(occupied));

        var cached = Names.Unique("cache-topology-");
        using var apiA = new PusherApi(a.HttpUri);
        ApiAssert.IsOk(await apiA.Trigger(cached, "last", "kept"));
        Assert.Equal(Frames.Event("last", cached, "kept"), await redis.Command("--raw", "GET", $"soketi:cache:app-id:{cached}"));
        await using var late = await RawPusherClient.Connect(b.WebSocketUri());
        await late.Subscribe(cached);
        Assert.Equal(Frames.SubscriptionSucceeded(cached), await late.Next());
        Assert.Equal(Frames.Event("last", cached, "kept"), await late.Next());
    }

    [Fact]
    public async Task Tls_with_a_trusted_ca_file_connects_nodes_through_a_tls_only_redis()
    {
        await using var redis = await RedisTls.Start();
        await using var a = await ServerProcess.Start(redis.Environment());
        await using var b = await ServerProcess.Start(redis.Environment());

        await AssertDeliveryAcrossNodes(a, b);
        Assert.Equal(MembershipKey, await redis.Server.Command("--raw", "KEYS", "*members*"));
    }

    [Fact]
    public async Task Tls_without_trusting_the_servers_ca_stops_start_up_naming_the_address()
    {
        await using var redis = await RedisTls.Start();
        await using var server = ServerProcess.Launch(redis.Environment(trustCa: false));

        var exitCode = await server.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 1, $"Expected exit code 1, got {exitCode}:\n{server.Output}");
        Assert.StartsWith($"Cannot reach Redis at 127.0.0.1:{redis.Server.Port} (SOKETI_DB_REDIS_HOST, SOKETI_DB_REDIS_PORT) after 10 s", server.Output);
    }

    /// <summary>An event published through <paramref name="a"/> reaches a subscriber on <paramref name="b"/>; returns the channel.</summary>
    private static async Task<string> AssertDeliveryAcrossNodes(ServerProcess a, ServerProcess b)
    {
        await using var onB = await RawPusherClient.Connect(b.WebSocketUri());
        var channel = Names.Unique("topology-");
        await onB.SubscribePublic(channel);

        using var apiA = new PusherApi(a.HttpUri);
        ApiAssert.IsOk(await apiA.Trigger(channel, "hello", "1"));

        Assert.Equal(Frames.Event("hello", channel, "1"), await onB.Next());
        return channel;
    }

    /// <summary>The membership table (one hash, a field per silo: <c>S</c>address<c>:</c>port<c>:</c>generation) lists both nodes.</summary>
    private static async Task AssertBothSilosListed(Func<Task<string>> fields, ServerProcess a, ServerProcess b)
    {
        var listed = await fields();
        Assert.Contains($"S127.0.0.1:{a.SiloPort}:", listed);
        Assert.Contains($"S127.0.0.1:{b.SiloPort}:", listed);
    }
}
