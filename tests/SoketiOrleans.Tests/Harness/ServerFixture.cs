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

    /// <summary>The only process, or the first (the membership primary) of several.</summary>
    public ServerProcess Server => Cluster[0];

    public ServerProcess A => Cluster[0];

    public ServerProcess B => Cluster[1];

    /// <summary>How many processes form the cluster.</summary>
    protected virtual int Count => 1;

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

        Cluster = await LocalCluster.Start(Count, Environment, args);
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
