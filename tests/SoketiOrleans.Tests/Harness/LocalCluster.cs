namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// Several real server processes forming one cluster in <c>local</c> mode: the first is the
/// membership primary (development clustering keeps the table there), the others join it through
/// its silo port. Disposing kills every process still running.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private LocalCluster(IReadOnlyList<ServerProcess> nodes) => Nodes = nodes;

    public IReadOnlyList<ServerProcess> Nodes { get; }

    public ServerProcess this[int index] => Nodes[index];

    public static async Task<LocalCluster> Start(int count, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var env = environment ?? new Dictionary<string, string>();
        var nodes = new List<ServerProcess>();
        try
        {
            nodes.Add(await ServerProcess.Start(env, args));
            var joining = new Dictionary<string, string>(env) { ["SOKETI_ORLEANS_PRIMARY_SILO_PORT"] = nodes[0].SiloPort.ToString() };
            for (var i = 1; i < count; i++)
            {
                nodes.Add(await ServerProcess.Start(joining, args));
            }

            return new LocalCluster(nodes);
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Reverse())
        {
            await node.DisposeAsync();
        }
    }
}
