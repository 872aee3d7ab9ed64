using System.Net;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Tests.Unit;

/// <summary><c>cluster</c> mode's discovery settings, read with soketi's names and defaults.</summary>
public sealed class ClusterConfigTests : IDisposable
{
    private const string KubernetesPortWarning =
        "CLUSTER_PORT=\"tcp://10.0.0.1:11002\" is ignored: cluster.port must be an integer from 1 to 65535 (Kubernetes sets CLUSTER_* variables for a Service named \"cluster\"); set SOKETI_CLUSTER_PORT to override";

    private readonly string _dir = Directory.CreateTempSubdirectory("soketi-cluster-config-").FullName;

    private static SoketiOptions Load(Dictionary<string, string> env, params string[] args) => ConfigLoader.Load(args, env);

    private static DiscoveryOptions Discovery(Dictionary<string, string> env, params string[] args) =>
        Load(new(env) { ["SOKETI_ADAPTER_DRIVER"] = "cluster" }, args).Discovery!;

    private static ConfigurationException Refused(Dictionary<string, string> env) =>
        Assert.Throws<ConfigurationException>(() => Load(env));

    private string ConfigFile(string json)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Cluster_mode_defaults_are_soketis()
    {
        var options = Load(new() { ["SOKETI_ADAPTER_DRIVER"] = "cluster" });
        var d = options.Discovery!;

        Assert.Equal((null, ServerRole.Full), (options.Redis, options.Role));
        Assert.Empty(options.Warnings);
        Assert.Equal((IPAddress.Any, 11002, "", ""), (d.Host, d.Port, d.Prefix, d.Secret));
        Assert.Equal((500, 500, 2000, 2000),
            (d.CheckInterval.TotalMilliseconds, d.KeepaliveInterval.TotalMilliseconds, d.NodeTimeout.TotalMilliseconds, d.MasterTimeout.TotalMilliseconds));
        Assert.Equal((IPAddress.Broadcast, null), (d.Broadcast, d.Multicast));
        Assert.Empty(d.Unicast);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("redis")]
    public void Other_modes_have_no_discovery_settings(string driver) =>
        Assert.Null(Load(new() { ["SOKETI_ADAPTER_DRIVER"] = driver }).Discovery);

    [Theory]
    [InlineData("SOKETI_")]
    [InlineData("")]
    public void Every_key_is_read_from_prefixed_and_unprefixed_variables(string prefix)
    {
        var d = Load(new()
        {
            [prefix + "ADAPTER_DRIVER"] = "cluster",
            [prefix + "CLUSTER_HOST"] = "10.0.0.5",
            [prefix + "CLUSTER_PORT"] = "12000",
            [prefix + "CLUSTER_PREFIX"] = "blue",
            [prefix + "CLUSTER_CHECK_INTERVAL"] = "100",
            [prefix + "CLUSTER_KEEPALIVE_INTERVAL"] = "200",
            [prefix + "CLUSTER_NODE_TIMEOUT"] = "3000",
            [prefix + "CLUSTER_MASTER_TIMEOUT"] = "4000",
            [prefix + "CLUSTER_BROADCAST_ADDRESS"] = "10.0.0.255",
            [prefix + "CLUSTER_IGNORE_PROCESS"] = "false",
            [prefix + "CLUSTER_SECRET"] = "s3cret",
        }).Discovery!;

        Assert.Equal((IPAddress.Parse("10.0.0.5"), 12000, "blue", "s3cret"), (d.Host, d.Port, d.Prefix, d.Secret));
        Assert.Equal((100, 200, 3000, 4000),
            (d.CheckInterval.TotalMilliseconds, d.KeepaliveInterval.TotalMilliseconds, d.NodeTimeout.TotalMilliseconds, d.MasterTimeout.TotalMilliseconds));
        Assert.Equal(IPAddress.Parse("10.0.0.255"), d.Broadcast);
    }

    [Theory]
    [InlineData("SOKETI_")]
    [InlineData("")]
    public void Multicast_and_unicast_are_read_from_prefixed_and_unprefixed_variables(string prefix)
    {
        Assert.Equal(IPAddress.Parse("239.1.2.3"), Discovery(new() { [prefix + "CLUSTER_MULTICAST_ADDRESS"] = "239.1.2.3" }).Multicast);
        Assert.Equal(["10.0.0.1", "soketi-1"], Discovery(new() { [prefix + "CLUSTER_UNICAST_ADDRESSES"] = """["10.0.0.1","soketi-1"]""" }).Unicast);
    }

    [Fact]
    public void Every_key_is_read_from_the_config_file()
    {
        var file = ConfigFile("""
        {
          "adapter.driver": "cluster",
          "cluster": { "hostname": "10.0.0.6", "port": 12001, "prefix": "green", "checkInterval": 101, "helloInterval": 201 },
          "cluster.nodeTimeout": 3001,
          "cluster.masterTimeout": 4001,
          "cluster.multicast": "239.0.0.7",
          "cluster.ignoreProcess": false,
          "cluster.secret": "from-file"
        }
        """);

        var d = Load([], $"--config={file}").Discovery!;

        Assert.Equal((IPAddress.Parse("10.0.0.6"), 12001, "green", "from-file"), (d.Host, d.Port, d.Prefix, d.Secret));
        Assert.Equal((101, 201, 3001, 4001),
            (d.CheckInterval.TotalMilliseconds, d.KeepaliveInterval.TotalMilliseconds, d.NodeTimeout.TotalMilliseconds, d.MasterTimeout.TotalMilliseconds));
        Assert.Equal((IPAddress.Parse("239.0.0.7"), null), (d.Multicast, d.Broadcast));

        Assert.Equal(IPAddress.Parse("10.0.0.255"), Load([], $"--config={ConfigFile("""{"adapter.driver":"cluster","cluster.broadcast":"10.0.0.255"}""")}").Discovery!.Broadcast);
        Assert.Equal(["10.0.0.1", "10.0.0.2"], Load([], $"--config={ConfigFile("""{"adapter.driver":"cluster","cluster.unicast":["10.0.0.1","10.0.0.2"]}""")}").Discovery!.Unicast);
    }

    [Fact]
    public void The_prefixed_variable_wins_over_the_unprefixed_one()
    {
        var d = Load(new()
        {
            ["ADAPTER_DRIVER"] = "local",
            ["SOKETI_ADAPTER_DRIVER"] = "cluster",
            ["CLUSTER_PORT"] = "12000",
            ["SOKETI_CLUSTER_PORT"] = "13000",
            ["CLUSTER_SECRET"] = "bare",
            ["SOKETI_CLUSTER_SECRET"] = "prefixed",
        }).Discovery!;

        Assert.Equal((13000, "prefixed"), (d.Port, d.Secret));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    public void A_loopback_host_broadcasts_on_loopback_unless_told_otherwise(string host)
    {
        Assert.Equal(IPAddress.Parse("127.255.255.255"), Discovery(new() { ["SOKETI_CLUSTER_HOST"] = host }).Broadcast);
        Assert.Equal(IPAddress.Parse("127.0.0.255"),
            Discovery(new() { ["SOKETI_CLUSTER_HOST"] = host, ["SOKETI_CLUSTER_BROADCAST_ADDRESS"] = "127.0.0.255" }).Broadcast);
    }

    [Fact]
    public void An_explicit_broadcast_address_wins()
    {
        var d = Discovery(new() { ["SOKETI_CLUSTER_BROADCAST_ADDRESS"] = "192.168.1.255" });

        Assert.Equal((IPAddress.Parse("192.168.1.255"), null), (d.Broadcast, d.Multicast));
    }

    [Fact]
    public void Multicast_disables_broadcast()
    {
        var d = Discovery(new() { ["SOKETI_CLUSTER_MULTICAST_ADDRESS"] = "239.255.0.1", ["SOKETI_CLUSTER_BROADCAST_ADDRESS"] = "10.0.0.255" });

        Assert.Equal((IPAddress.Parse("239.255.0.1"), null), (d.Multicast, d.Broadcast));
        Assert.Empty(d.Unicast);
    }

    [Theory]
    [InlineData("""[" 10.0.0.1 ","","soketi-1.soketi.default.svc.cluster.local"]""")]
    [InlineData(" 10.0.0.1 ,, soketi-1.soketi.default.svc.cluster.local,")]
    public void Unicast_takes_a_json_array_or_a_comma_separated_string_and_disables_multicast_and_broadcast(string value)
    {
        var d = Discovery(new() { ["SOKETI_CLUSTER_UNICAST_ADDRESSES"] = value, ["SOKETI_CLUSTER_MULTICAST_ADDRESS"] = "239.1.1.1" });

        Assert.Equal(["10.0.0.1", "soketi-1.soketi.default.svc.cluster.local"], d.Unicast);
        Assert.Equal((null, null), (d.Multicast, d.Broadcast));
    }

    [Theory]
    [InlineData("SOKETI_CLUSTER_MULTICAST_ADDRESS", "10.0.0.1", "cluster.multicast (SOKETI_CLUSTER_MULTICAST_ADDRESS) must be an IPv4 multicast address (224.0.0.0 to 239.255.255.255); got \"10.0.0.1\"")]
    [InlineData("SOKETI_CLUSTER_MULTICAST_ADDRESS", "240.0.0.1", "cluster.multicast (SOKETI_CLUSTER_MULTICAST_ADDRESS) must be an IPv4 multicast address (224.0.0.0 to 239.255.255.255); got \"240.0.0.1\"")]
    [InlineData("SOKETI_CLUSTER_UNICAST_ADDRESSES", """["10.0.0.1:11002"]""", "cluster.unicast (SOKETI_CLUSTER_UNICAST_ADDRESSES) must be IPv4 addresses or host names without a port, as a JSON array of strings or a comma-separated string; got [\"10.0.0.1:11002\"]")]
    [InlineData("SOKETI_CLUSTER_UNICAST_ADDRESSES", "10.0.0.1,bad_host", "cluster.unicast (SOKETI_CLUSTER_UNICAST_ADDRESSES) must be IPv4 addresses or host names without a port, as a JSON array of strings or a comma-separated string; got \"10.0.0.1,bad_host\"")]
    [InlineData("SOKETI_CLUSTER_UNICAST_ADDRESSES", "10.0.0.256", "cluster.unicast (SOKETI_CLUSTER_UNICAST_ADDRESSES) must be IPv4 addresses or host names without a port, as a JSON array of strings or a comma-separated string; got \"10.0.0.256\"")]
    [InlineData("SOKETI_CLUSTER_HOST", "example.com", "cluster.hostname (SOKETI_CLUSTER_HOST) must be an IPv4 address; got \"example.com\"")]
    [InlineData("SOKETI_CLUSTER_HOST", "::1", "cluster.hostname (SOKETI_CLUSTER_HOST) must be an IPv4 address; got \"::1\"")]
    [InlineData("SOKETI_CLUSTER_HOST", "10.1", "cluster.hostname (SOKETI_CLUSTER_HOST) must be an IPv4 address; got 10.1")]
    [InlineData("SOKETI_CLUSTER_BROADCAST_ADDRESS", "255.255.255", "cluster.broadcast (SOKETI_CLUSTER_BROADCAST_ADDRESS) must be an IPv4 address; got \"255.255.255\"")]
    [InlineData("SOKETI_CLUSTER_PORT", "tcp://10.0.0.1:11002", "cluster.port (SOKETI_CLUSTER_PORT) must be an integer from 1 to 65535; got \"tcp://10.0.0.1:11002\"")]
    [InlineData("SOKETI_CLUSTER_PORT", "0", "cluster.port (SOKETI_CLUSTER_PORT) must be an integer from 1 to 65535; got 0")]
    [InlineData("SOKETI_CLUSTER_CHECK_INTERVAL", "0", "cluster.checkInterval (SOKETI_CLUSTER_CHECK_INTERVAL) must be an integer of at least 1; got 0")]
    [InlineData("SOKETI_CLUSTER_KEEPALIVE_INTERVAL", "soon", "cluster.helloInterval (SOKETI_CLUSTER_KEEPALIVE_INTERVAL) must be an integer of at least 1; got \"soon\"")]
    public void Invalid_prefixed_values_stop_start_up_naming_the_key_and_variable(string name, string value, string problem) =>
        Assert.Equal(problem, Assert.Single(Refused(new() { ["SOKETI_ADAPTER_DRIVER"] = "cluster", [name] = value }).Problems));

    [Fact]
    public void An_unprefixed_value_that_does_not_parse_is_ignored_with_a_warning()
    {
        var options = Load(new() { ["ADAPTER_DRIVER"] = "cluster", ["CLUSTER_PORT"] = "tcp://10.0.0.1:11002" });

        Assert.Equal(11002, options.Discovery!.Port);
        Assert.Equal(KubernetesPortWarning, Assert.Single(options.Warnings));
    }

    [Fact]
    public void An_ignored_unprefixed_value_leaves_the_config_files_value()
    {
        var file = ConfigFile("""{"adapter.driver":"cluster","cluster.port":12345}""");

        var options = Load(new() { ["CLUSTER_PORT"] = "tcp://10.0.0.1:11002" }, $"--config={file}");

        Assert.Equal(12345, options.Discovery!.Port);
        Assert.Equal(KubernetesPortWarning, Assert.Single(options.Warnings));
    }

    [Fact]
    public void A_wrong_config_file_value_behind_an_ignored_variable_still_stops_start_up()
    {
        var file = ConfigFile("""{"adapter.driver":"cluster","cluster.port":"x"}""");

        var error = Assert.Throws<ConfigurationException>(() => Load(new() { ["CLUSTER_PORT"] = "tcp://10.0.0.1:11002" }, $"--config={file}"));

        Assert.Equal("cluster.port (SOKETI_CLUSTER_PORT) must be an integer from 1 to 65535; got \"x\"", Assert.Single(error.Problems));
    }

    [Fact]
    public void A_prefixed_value_overrides_an_unprefixed_one_without_a_warning()
    {
        var options = Load(new() { ["SOKETI_ADAPTER_DRIVER"] = "cluster", ["CLUSTER_PORT"] = "tcp://10.0.0.1:11002", ["SOKETI_CLUSTER_PORT"] = "12000" });

        Assert.Equal(12000, options.Discovery!.Port);
        Assert.Empty(options.Warnings);
    }

    [Fact]
    public void The_unprefixed_rule_holds_for_every_cluster_and_adapter_key()
    {
        var cluster = Load(new() { ["SOKETI_ADAPTER_DRIVER"] = "cluster", ["CLUSTER_HOST"] = "soketi.local" });
        Assert.Equal(IPAddress.Any, cluster.Discovery!.Host);
        Assert.Equal(
            "CLUSTER_HOST=\"soketi.local\" is ignored: cluster.hostname must be an IPv4 address (Kubernetes sets CLUSTER_* variables for a Service named \"cluster\"); set SOKETI_CLUSTER_HOST to override",
            Assert.Single(cluster.Warnings));

        var redis = Load(new() { ["SOKETI_ADAPTER_DRIVER"] = "redis", ["ADAPTER_REDIS_CLUSTER_MODE"] = "tcp://10.0.0.2:6379" });
        Assert.False(redis.Redis!.ClusterMode);
        Assert.Equal(
            "ADAPTER_REDIS_CLUSTER_MODE=\"tcp://10.0.0.2:6379\" is ignored: adapter.redis.clusterMode must be true or false (or 1/0) (Kubernetes sets ADAPTER_* variables for a Service named \"adapter\"); set SOKETI_ADAPTER_REDIS_CLUSTER_MODE to override",
            Assert.Single(redis.Warnings));
    }

    [Fact]
    public void Cluster_variables_are_not_read_outside_cluster_mode() =>
        Assert.Empty(Load(new() { ["CLUSTER_PORT"] = "tcp://10.0.0.1:11002" }).Warnings);

    [Fact]
    public void The_rate_limiter_may_say_cluster_in_cluster_mode_only()
    {
        Assert.NotNull(Load(new() { ["SOKETI_ADAPTER_DRIVER"] = "cluster", ["SOKETI_RATE_LIMITER_DRIVER"] = "cluster" }).Discovery);

        Assert.Equal(
            "rateLimiter.driver (SOKETI_RATE_LIMITER_DRIVER): \"cluster\" needs adapter.driver (SOKETI_ADAPTER_DRIVER) \"cluster\"; allowed here: local",
            Assert.Single(Refused(new() { ["SOKETI_RATE_LIMITER_DRIVER"] = "cluster" }).Problems));
        Assert.Equal(
            "rateLimiter.driver (SOKETI_RATE_LIMITER_DRIVER): \"cluster\" needs adapter.driver (SOKETI_ADAPTER_DRIVER) \"cluster\"; allowed here: local, redis",
            Assert.Single(Refused(new() { ["SOKETI_ADAPTER_DRIVER"] = "redis", ["SOKETI_RATE_LIMITER_DRIVER"] = "cluster" }).Problems));
        Assert.Equal(
            "rateLimiter.driver (SOKETI_RATE_LIMITER_DRIVER): \"redis\" needs adapter.driver (SOKETI_ADAPTER_DRIVER) \"redis\"; allowed here: local, cluster",
            Assert.Single(Refused(new() { ["SOKETI_ADAPTER_DRIVER"] = "cluster", ["SOKETI_RATE_LIMITER_DRIVER"] = "redis" }).Problems));
    }

    [Fact]
    public void Soketis_redis_queue_is_refused_in_cluster_mode() =>
        Assert.Equal(
            "queue.driver (SOKETI_QUEUE_DRIVER): \"redis\" needs adapter.driver (SOKETI_ADAPTER_DRIVER) \"redis\"; allowed here: sync",
            Assert.Single(Refused(new() { ["SOKETI_ADAPTER_DRIVER"] = "cluster", ["SOKETI_QUEUE_DRIVER"] = "redis" }).Problems));

    [Theory]
    [InlineData("worker")]
    [InlineData("server")]
    public void Split_roles_still_need_redis(string mode) =>
        Assert.Equal(
            $"mode (SOKETI_MODE): \"{mode}\" needs adapter.driver (SOKETI_ADAPTER_DRIVER) \"redis\": split roles find each other through Redis",
            Assert.Single(Refused(new() { ["SOKETI_ADAPTER_DRIVER"] = "cluster", ["SOKETI_MODE"] = mode }).Problems));
}
