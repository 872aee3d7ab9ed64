using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SoketiOrleans.Silo.Configuration;
using SoketiOrleans.Silo.Redis;

namespace SoketiOrleans.Tests.Unit;

/// <summary><c>redis</c> mode's settings, read with soketi's names and defaults.</summary>
public sealed class RedisConfigTests
{
    private static SoketiOptions Load(Dictionary<string, string> env) => ConfigLoader.Load([], env);

    [Fact]
    public void Local_mode_has_no_redis_settings_and_runs_full()
    {
        var options = Load([]);

        Assert.Null(options.Redis);
        Assert.Equal(ServerRole.Full, options.Role);
    }

    [Fact]
    public void Redis_mode_defaults_are_soketis()
    {
        var redis = Load(new() { ["SOKETI_ADAPTER_DRIVER"] = "redis" }).Redis!;

        Assert.Equal(["127.0.0.1:6379"], redis.Endpoints);
        Assert.Equal((0, null, null, false, null, false, "soketi:"), (redis.Database, redis.User, redis.Password, redis.Tls, redis.SentinelService, redis.ClusterMode, redis.KeyRoot));
    }

    [Fact]
    public void Connection_settings_come_from_the_db_redis_variables()
    {
        var redis = Load(new()
        {
            ["SOKETI_ADAPTER_DRIVER"] = "redis",
            ["SOKETI_DB_REDIS_HOST"] = "10.0.0.5",
            ["SOKETI_DB_REDIS_PORT"] = "6380",
            ["SOKETI_DB_REDIS_DB"] = "3",
            ["SOKETI_DB_REDIS_USERNAME"] = "soketi",
            ["SOKETI_DB_REDIS_PASSWORD"] = "secret",
            ["SOKETI_DB_REDIS_KEY_PREFIX"] = "app1:",
            ["SOKETI_ADAPTER_REDIS_PREFIX"] = "blue-",
        }).Redis!;

        Assert.Equal(["10.0.0.5:6380"], redis.Endpoints);
        Assert.Equal((3, "soketi", "secret", "app1:blue-soketi:"), (redis.Database, redis.User, redis.Password, redis.KeyRoot));

        var configuration = RedisConnector.Configuration(redis);
        Assert.Equal((3, "soketi", "secret", false), (configuration.DefaultDatabase, configuration.User, configuration.Password, configuration.AbortOnConnectFail));
        Assert.Equal("10.0.0.5:6380", Assert.Single(configuration.EndPoints).ToString());
    }

    [Fact]
    public void Unprefixed_adapter_variables_are_read_and_the_prefixed_ones_win()
    {
        Assert.NotNull(Load(new() { ["ADAPTER_DRIVER"] = "redis" }).Redis);
        Assert.Equal("green-soketi:", Load(new() { ["ADAPTER_DRIVER"] = "redis", ["ADAPTER_REDIS_PREFIX"] = "green-" }).Redis!.KeyRoot);
        Assert.Null(Load(new() { ["ADAPTER_DRIVER"] = "redis", ["SOKETI_ADAPTER_DRIVER"] = "local" }).Redis);
        Assert.Equal("blue-soketi:", Load(new()
        {
            ["SOKETI_ADAPTER_DRIVER"] = "redis", ["ADAPTER_REDIS_PREFIX"] = "green-", ["SOKETI_ADAPTER_REDIS_PREFIX"] = "blue-",
        }).Redis!.KeyRoot);
    }

    [Fact]
    public void Sentinels_take_iorediss_shapes_and_name_the_primary()
    {
        var redis = Load(new()
        {
            ["SOKETI_ADAPTER_DRIVER"] = "redis",
            ["SOKETI_DB_REDIS_SENTINELS"] = """[{"host":"10.0.0.1","port":26379},"10.0.0.2:26380"]""",
            ["SOKETI_DB_REDIS_SENTINEL_PASSWORD"] = "s3",
            ["SOKETI_DB_REDIS_PASSWORD"] = "d3",
        }).Redis!;

        Assert.Equal(["10.0.0.1:26379", "10.0.0.2:26380"], redis.Endpoints);
        Assert.Equal(("mymaster", "s3"), (redis.SentinelService, redis.SentinelPassword));
        var configuration = RedisConnector.Configuration(redis);
        Assert.Equal(("mymaster", "d3", "s3"), (configuration.ServiceName, configuration.Password, configuration.SentinelPassword));
    }

    [Fact]
    public void Cluster_mode_connects_to_the_cluster_nodes()
    {
        var redis = Load(new()
        {
            ["SOKETI_ADAPTER_DRIVER"] = "redis",
            ["SOKETI_ADAPTER_REDIS_CLUSTER_MODE"] = "true",
            ["SOKETI_DB_REDIS_CLUSTER_NODES"] = """[{"host":"10.0.0.1","port":7000},{"host":"10.0.0.2","port":7001}]""",
        }).Redis!;

        Assert.True(redis.ClusterMode);
        Assert.Equal(["10.0.0.1:7000", "10.0.0.2:7001"], redis.Endpoints);
        Assert.Null(redis.SentinelService);
    }

    [Theory]
    [InlineData("SOKETI_DB_REDIS_TLS", "true")]
    [InlineData("SOKETI_ADAPTER_REDIS_PUB_OPTIONS", """{"tls":{}}""")]
    public void Tls_is_asked_for_by_our_variable_or_by_iorediss_tls_option(string name, string value)
    {
        var redis = Load(new() { ["SOKETI_ADAPTER_DRIVER"] = "redis", [name] = value }).Redis!;

        Assert.True(redis.Tls);
        Assert.True(RedisConnector.Configuration(redis).Ssl);
    }

    [Fact]
    public void A_tls_ca_file_is_trusted_and_asks_for_tls()
    {
        var folder = Directory.CreateTempSubdirectory("soketi-orleans-ca-");
        try
        {
            var ca = Path.Combine(folder.FullName, "ca.crt");
            using var key = RSA.Create(2048);
            using var certificate = new CertificateRequest("CN=test CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(ca, certificate.ExportCertificatePem());

            var redis = Load(new() { ["SOKETI_ADAPTER_DRIVER"] = "redis", ["SOKETI_DB_REDIS_TLS_CA"] = ca }).Redis!;

            Assert.Equal((true, ca), (redis.Tls, redis.TlsCa));
            // Whether the CA is trusted is proven on the wire (RedisTopologyTests), as the check is StackExchange.Redis' own.
            Assert.True(RedisConnector.Configuration(redis).Ssl);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_tls_ca_file_that_cannot_be_read_names_the_key()
    {
        var missing = Path.Combine(Path.GetTempPath(), "soketi-orleans-no-such-ca.crt");

        var error = Assert.Throws<ConfigurationException>(() => Load(new() { ["SOKETI_ADAPTER_DRIVER"] = "redis", ["SOKETI_DB_REDIS_TLS_CA"] = missing }));

        Assert.Contains($"database.redis.tlsCa (SOKETI_DB_REDIS_TLS_CA) must be a readable CA certificate file (PEM or DER); got \"{missing}\"", error.Problems);
    }

    [Theory]
    [InlineData("server", ServerRole.Server)]
    [InlineData("worker", ServerRole.Worker)]
    public void Split_roles_are_accepted_in_redis_mode(string mode, ServerRole role) =>
        Assert.Equal(role, Load(new() { ["SOKETI_ADAPTER_DRIVER"] = "redis", ["SOKETI_MODE"] = mode }).Role);

    [Theory]
    [InlineData("SOKETI_QUEUE_DRIVER")]
    [InlineData("SOKETI_CACHE_DRIVER")]
    [InlineData("SOKETI_RATE_LIMITER_DRIVER")]
    public void Soketis_redis_drivers_are_accepted_in_redis_mode(string name) =>
        Assert.NotNull(Load(new() { ["SOKETI_ADAPTER_DRIVER"] = "redis", [name] = "redis" }).Redis);

    [Fact]
    public void Malformed_node_lists_name_the_key()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(new()
        {
            ["SOKETI_ADAPTER_DRIVER"] = "redis", ["SOKETI_DB_REDIS_SENTINELS"] = """[{"port":1}]""",
        }));

        Assert.Contains("database.redis.sentinels (SOKETI_DB_REDIS_SENTINELS) must be a list of Redis nodes, each {\"host\":…,\"port\":…} or \"host:port\"; got [{\"port\":1}]", error.Problems);
    }

    [Fact]
    public void The_config_file_takes_the_same_keys()
    {
        var file = Path.Combine(Path.GetTempPath(), $"soketi-redis-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{"adapter.driver":"redis","mode":"worker","database":{"redis":{"host":"10.0.0.9","port":6390}},"adapter.redis.prefix":"p-"}""");
        try
        {
            var options = ConfigLoader.Load([$"--config={file}"], new Dictionary<string, string>());

            Assert.Equal((ServerRole.Worker, "p-soketi:"), (options.Role, options.Redis!.KeyRoot));
            Assert.Equal(["10.0.0.9:6390"], options.Redis.Endpoints);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
