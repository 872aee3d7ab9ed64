namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// Real server processes shared by the tests of a class (class fixture) or of a collection:
/// <see cref="Count"/> processes in one cluster, each started with <see cref="Environment"/> and,
/// when <see cref="Config"/> is set, a <c>--config</c> file holding that JSON. Subclasses say only
/// how their servers differ; starting, joining and stopping happen here once.
/// </summary>
public class ServerFixture : IAsyncLifetime
{
    private DirectoryInfo? _configFolder;

    public LocalCluster Cluster { get; private set; } = null!;

    /// <summary>The only process, or the first that serves clients (in local mode the membership primary).</summary>
    public ServerProcess Server => Cluster.Gateways[0];

    public ServerProcess A => Cluster.Gateways[0];

    public ServerProcess B => Cluster.Gateways[1];

    /// <summary>How many processes form the cluster (in <c>local</c> mode).</summary>
    protected virtual int Count => 1;

    /// <summary>
    /// When set, the cluster runs in <c>redis</c> mode against its own <c>redis-server</c>: one process
    /// per entry, in that <c>SOKETI_MODE</c> (<see cref="Count"/> is then ignored).
    /// </summary>
    protected virtual IReadOnlyList<string>? RedisRoles => null;

    /// <summary>When set, the cluster runs in <c>cluster</c> mode on this discovery network (<see cref="Count"/> processes).</summary>
    protected virtual DiscoveryNet? Discovery => null;

    /// <summary>Extra SOKETI_* variables for every process.</summary>
    protected virtual IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>();

    /// <summary>The contents of a <c>--config</c> file for every process, or none.</summary>
    protected virtual string? Config => null;

    public virtual async Task InitializeAsync()
    {
        string[] args = [];
        if (Config is { } json)
        {
            _configFolder = Directory.CreateTempSubdirectory("soketi-orleans-config-");
            var file = Path.Combine(_configFolder.FullName, "config.json");
            await File.WriteAllTextAsync(file, json);
            args = [$"--config={file}"];
        }

        Cluster = RedisRoles is { } roles ? await LocalCluster.StartRedis(roles, Environment, args)
            : Discovery is { } net ? await LocalCluster.StartDiscovery(Count, net, Environment, args)
            : await LocalCluster.Start(Count, Environment, args);
    }

    public virtual async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        _configFolder?.Delete(recursive: true);
    }
}
