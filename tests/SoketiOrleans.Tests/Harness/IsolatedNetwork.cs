using System.Diagnostics;

namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// A private network built from network namespaces, for cutting one node off from the others (a
/// real partition: every packet between them dropped, UDP, Raft and Orleans alike). Each node runs
/// in its own namespace with two links: one to a bridge shared by the nodes (the cluster network,
/// 10.200.S.0/24), which <see cref="Cut"/> takes down, and one to this test process's namespace
/// (10.(210+i).S.0/30) that clients use and that stays up. Needs root and iproute2's <c>ip</c>.
/// Traffic goes only to these namespaces; disposing deletes them.
/// </summary>
public sealed class IsolatedNetwork : IAsyncDisposable
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..4];
    private readonly int _subnet = Random.Shared.Next(1, 250);
    private readonly List<int> _nodes = [];

    private string Hub => $"so-hub-{_id}";

    public static async Task<IsolatedNetwork> Create()
    {
        var network = new IsolatedNetwork();
        try
        {
            await Ip("netns", "add", network.Hub);
            await Ip("-n", network.Hub, "link", "add", "br0", "type", "bridge");
            await Ip("-n", network.Hub, "link", "set", "br0", "up");
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    public string Namespace(int node) => $"so-n{node}-{_id}";

    /// <summary>The node's address on the cluster network (its <c>CLUSTER_HOST</c>).</summary>
    public string ClusterAddress(int node) => $"10.200.{_subnet}.{node + 2}";

    /// <summary>The node's address on its own link to this process (where clients connect).</summary>
    public string ClientAddress(int node) => $"10.{210 + node}.{_subnet}.2";

    /// <summary>Creates node <paramref name="node"/>'s namespace and both its links.</summary>
    public async Task AddNode(int node)
    {
        var ns = Namespace(node);
        await Ip("netns", "add", ns);
        _nodes.Add(node);
        await Ip("-n", ns, "link", "set", "lo", "up");

        await Ip("link", "add", HubSide(node), "type", "veth", "peer", "name", $"so{_id}n{node}");
        await Ip("link", "set", HubSide(node), "netns", Hub);
        await Ip("-n", Hub, "link", "set", HubSide(node), "master", "br0", "up");
        await Ip("link", "set", $"so{_id}n{node}", "netns", ns);
        await Ip("-n", ns, "addr", "add", $"{ClusterAddress(node)}/24", "dev", $"so{_id}n{node}");
        await Ip("-n", ns, "link", "set", $"so{_id}n{node}", "up");

        await Ip("link", "add", ClientSide(node), "type", "veth", "peer", "name", $"so{_id}d{node}");
        await Ip("link", "set", $"so{_id}d{node}", "netns", ns);
        await Ip("addr", "add", $"10.{210 + node}.{_subnet}.1/30", "dev", ClientSide(node));
        await Ip("link", "set", ClientSide(node), "up");
        await Ip("-n", ns, "addr", "add", $"{ClientAddress(node)}/30", "dev", $"so{_id}d{node}");
        await Ip("-n", ns, "link", "set", $"so{_id}d{node}", "up");
    }

    /// <summary>Creates node <paramref name="node"/> and starts a server in it whose clients connect on its client address.</summary>
    public async Task<ServerProcess> StartNode(int node, IReadOnlyDictionary<string, string> environment)
    {
        await AddNode(node);
        return await ServerProcess.StartIn(Namespace(node), ClientAddress(node), environment);
    }

    /// <summary>
    /// Sets the hosts file node <paramref name="node"/>'s processes resolve names with (iproute2
    /// mounts <c>/etc/netns/NAME/hosts</c> over <c>/etc/hosts</c> for them, and its <c>resolv.conf</c>). Written before the node
    /// starts, then rewritten in place: the process sees every later version.
    /// </summary>
    public async Task Hosts(int node, params string[] entries)
    {
        var folder = Directory.CreateDirectory(Path.Combine("/etc/netns", Namespace(node)));
        await File.WriteAllLinesAsync(Path.Combine(folder.FullName, "hosts"), ["127.0.0.1 localhost", .. entries]);

        // A name not in the file is looked up on the namespace's own loopback, where nothing answers: never outside.
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "resolv.conf"), "nameserver 127.0.0.1\n");
    }

    /// <summary>Drops every packet between node <paramref name="node"/> and the other nodes.</summary>
    public Task Cut(int node) => Ip("-n", Hub, "link", "set", HubSide(node), "down");

    public Task Heal(int node) => Ip("-n", Hub, "link", "set", HubSide(node), "up");

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await IpIgnoringErrors("link", "del", ClientSide(node));
            await IpIgnoringErrors("netns", "del", Namespace(node));
            var hosts = Path.Combine("/etc/netns", Namespace(node));
            if (Directory.Exists(hosts))
            {
                Directory.Delete(hosts, recursive: true);
            }
        }

        await IpIgnoringErrors("netns", "del", Hub);
    }

    private string HubSide(int node) => $"so{_id}h{node}";

    private string ClientSide(int node) => $"so{_id}c{node}";

    private static async Task Ip(params string[] args)
    {
        var (code, error) = await Run(args);
        if (code != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({code}): {error}");
        }
    }

    private static Task IpIgnoringErrors(params string[] args) => Run(args);

    private static async Task<(int Code, string Error)> Run(string[] args)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, error.Trim());
    }
}
