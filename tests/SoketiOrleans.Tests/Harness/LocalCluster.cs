using System.Globalization;

namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// Several real server processes forming one cluster. In <c>local</c> mode the first is the
/// membership primary (development clustering keeps the table there) and the others join it
/// through its silo port. In <c>redis</c> mode a real <c>redis-server</c> is started first and every
/// process, in its role (<c>full</c>, <c>server</c> or <c>worker</c>), finds the others through it.
/// Disposing kills every process still running, then Redis.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<ServerProcess> _nodes;
    private readonly List<string> _roles;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string[] _args;

    private LocalCluster(List<ServerProcess> nodes, List<string> roles, RedisServer? redis, IReadOnlyDictionary<string, string> environment, string[] args, DiscoveryNet? net = null)
    {
        _nodes = nodes;
        _roles = roles;
        Redis = redis;
        _environment = environment;
        _args = args;
        Net = net;
    }

    /// <summary>The discovery network of a <c>cluster</c> mode cluster; null in the other modes.</summary>
    public DiscoveryNet? Net { get; }

    public IReadOnlyList<ServerProcess> Nodes => _nodes;

    /// <summary>The Redis of a <c>redis</c> mode cluster; null in <c>local</c> mode.</summary>
    public RedisServer? Redis { get; }

    public ServerProcess this[int index] => _nodes[index];

    /// <summary>The processes that serve clients (every one but the workers), in start order.</summary>
    public IReadOnlyList<ServerProcess> Gateways => _nodes.Where((_, i) => _roles[i] != "worker").ToArray();

    public static async Task<LocalCluster> Start(int count, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var env = environment ?? new Dictionary<string, string>();
        var cluster = new LocalCluster([], [], null, env, args);
        try
        {
            cluster.Started(await ServerProcess.Start(env, args), "full");
            for (var i = 1; i < count; i++)
            {
                cluster.Started(await ServerProcess.Start(cluster.LocalJoiner(), args), "full");
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <param name="roles">One <c>SOKETI_MODE</c> per process, started in this order.</param>
    public static async Task<LocalCluster> StartRedis(IReadOnlyList<string> roles, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var redis = await RedisServer.Start();
        var env = new Dictionary<string, string>(redis.Environment());
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var cluster = new LocalCluster([], [], redis, env, args);
        try
        {
            foreach (var role in roles)
            {
                await cluster.Add(role);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// <paramref name="count"/> <c>cluster</c> mode processes on <paramref name="net"/>: the first
    /// founds the cluster, then the others start together and join it.
    /// </summary>
    public static async Task<LocalCluster> StartDiscovery(int count, DiscoveryNet net, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var cluster = new LocalCluster([], [], null, environment ?? new Dictionary<string, string>(), args, net);
        var joining = new List<Task<ServerProcess>>();
        try
        {
            await cluster.Add("full");
            joining.AddRange(Enumerable.Range(1, count - 1).Select(i => ServerProcess.Start(cluster.DiscoveryEnvironment(i, "full"), args)));
            foreach (var node in await Task.WhenAll(joining))
            {
                cluster.Started(node, "full");
            }

            return cluster;
        }
        catch
        {
            foreach (var started in joining.Where(t => t.IsCompletedSuccessfully))
            {
                cluster.Started(started.Result, "full");
            }

            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts several clusters at once; if one fails to start, the others are stopped too.</summary>
    public static async Task<LocalCluster[]> StartAll(params Task<LocalCluster>[] starting)
    {
        try
        {
            return await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// Starts one more process, in <paramref name="role"/>, and waits until it is ready: in <c>redis</c>
    /// mode against the cluster's Redis, in <c>cluster</c> mode at the next address of its network, in
    /// <c>local</c> mode (<c>full</c> only) joining the first process.
    /// </summary>
    public async Task<ServerProcess> Add(string role)
    {
        if (Net is null && Redis is null && role != "full")
        {
            throw new InvalidOperationException("A local mode process is always full");
        }

        var environment = Net is null && Redis is null ? LocalJoiner() : DiscoveryEnvironment(_nodes.Count, role);
        var node = await ServerProcess.Start(environment, _args);
        Started(node, role);
        return node;
    }

    /// <summary>
    /// Waits until the survivors have declared a killed process's silo dead in the Redis membership
    /// table (status 6, <c>Dead</c>): only then may a second silo die without the two deaths counting
    /// as one double failure, which Orleans settles only once the dead stop heartbeating (30 s).
    /// </summary>
    public async Task WaitUntilDeclaredDead(ServerProcess node)
    {
        // A row starts with its own silo's address; other silos' addresses appear later in it, as suspecters.
        var ownRow = $"{{\"SiloAddress\":{{\"SiloAddress\":\"127.0.0.1:{node.SiloPort}@";
        await Eventually.Get(
            () => Redis!.Command("--raw", "HVALS", "soketi:members:soketi:soketi"),
            rows => rows.Split('\n').Any(row => row.StartsWith(ownRow, StringComparison.Ordinal) && row.Contains("\"Status\":6,")),
            $"the silo on port {node.SiloPort} declared dead", TimeSpan.FromSeconds(20));
    }

    /// <summary>The <c>cluster</c> mode process that leads Raft now (see <see cref="RaftLeader"/>).</summary>
    public Task<ServerProcess> Leader() => RaftLeader.Among(_nodes.Where(n => !n.HasExited).ToArray());

    /// <summary>The variables of a <c>local</c> mode process that joins the first one's silo.</summary>
    private Dictionary<string, string> LocalJoiner() =>
        new(_environment) { ["SOKETI_ORLEANS_PRIMARY_SILO_PORT"] = _nodes[0].SiloPort.ToString(CultureInfo.InvariantCulture) };

    /// <summary>The variables of the process in <paramref name="role"/> that takes address <paramref name="index"/> of a <c>cluster</c> mode network (any mode's variables otherwise).</summary>
    private Dictionary<string, string> DiscoveryEnvironment(int index, string role)
    {
        var env = new Dictionary<string, string>(_environment) { ["SOKETI_MODE"] = role };
        foreach (var (key, value) in Net?.Environment(index) ?? [])
        {
            env.TryAdd(key, value);
        }

        return env;
    }

    private void Started(ServerProcess node, string role)
    {
        _nodes.Add(node);
        _roles.Add(role);
    }

    public async ValueTask DisposeAsync()
    {
        // Every process is stopped even when one of them reports a failure (a failed warm-up).
        var failures = new List<Exception>();
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            try
            {
                await node.DisposeAsync();
            }
            catch (InvalidOperationException e)
            {
                failures.Add(e);
            }
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        if (failures.Count > 0)
        {
            throw new AggregateException(failures);
        }
    }
}
