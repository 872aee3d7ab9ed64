using System.Diagnostics;
using System.Net;

namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// A Redis Cluster of real <c>redis-server</c> nodes on loopback, primaries only, joined with
/// <c>redis-cli --cluster create</c>. Each node also listens on its port + 10000 (the cluster bus),
/// so ports are picked with both free.
/// </summary>
public sealed class RedisClusterNodes : IAsyncDisposable
{
    private readonly List<RedisServer> _nodes;

    private RedisClusterNodes(List<RedisServer> nodes) => _nodes = nodes;

    public IReadOnlyList<RedisServer> Nodes => _nodes;

    public static async Task<RedisClusterNodes> Start(int count = 3)
    {
        var cluster = new RedisClusterNodes([]);
        try
        {
            for (var i = 0; i < count; i++)
            {
                cluster._nodes.Add(await RedisServer.Start(
                    port: PortWithFreeBus(),
                    arguments: ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"]));
            }

            await cluster.Create();
            foreach (var node in cluster._nodes)
            {
                await Eventually.Get(() => node.Command("CLUSTER", "INFO"), i => i.Contains("cluster_state:ok"), $"cluster_state:ok on {node.Port}", TimeSpan.FromSeconds(20));
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>soketi's variables for this cluster: cluster mode, every node in ioredis' shape.</summary>
    public Dictionary<string, string> Environment() => new()
    {
        ["SOKETI_ADAPTER_DRIVER"] = "redis",
        ["SOKETI_ADAPTER_REDIS_CLUSTER_MODE"] = "true",
        ["SOKETI_DB_REDIS_CLUSTER_NODES"] = "[" + string.Join(",", _nodes.Select(n => $$"""{"host":"127.0.0.1","port":{{n.Port}}}""")) + "]",
    };

    /// <summary>Runs a command through the first node, following redirects to the node that owns the key.</summary>
    public Task<string> Command(params string[] args) => _nodes[0].Command(["-c", .. args]);

    private async Task Create()
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--cluster", "create" }.Concat(_nodes.Select(n => $"127.0.0.1:{n.Port}")).Concat(["--cluster-replicas", "0", "--cluster-yes"]))
        {
            start.ArgumentList.Add(arg);
        }

        using var cli = Process.Start(start)!;
        var output = cli.StandardOutput.ReadToEndAsync();
        var error = cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        if (cli.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli --cluster create exited with {cli.ExitCode}:\n{await output}\n{await error}");
        }
    }

    /// <summary>A free port whose cluster bus port (+10000) is free as well.</summary>
    private static int PortWithFreeBus()
    {
        while (true)
        {
            var port = FreePort.Next();
            if (port + 10000 <= IPEndPoint.MaxPort && FreePort.IsFree(port + 10000))
            {
                return port;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
