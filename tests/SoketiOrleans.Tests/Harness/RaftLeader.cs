namespace SoketiOrleans.Tests.Harness;

/// <summary>Which <c>cluster</c> mode process leads Raft, read from what the processes log.</summary>
public static class RaftLeader
{
    private const string Marker = "Cluster: the leader is ";

    /// <summary>
    /// The process whose latest leader line names itself, once every one of <paramref name="nodes"/>
    /// has a latest leader line naming the same endpoint.
    /// </summary>
    public static async Task<ServerProcess> Among(IReadOnlyList<ServerProcess> nodes)
    {
        var lines = await Eventually.Get(
            () => Task.FromResult(nodes.Select(n => Latest(n.Output)).ToArray()),
            latest => latest.All(l => l is not null) && latest.Select(l => l!.Value.Leader).Distinct().Count() == 1 && latest.Count(l => l!.Value.Self) == 1,
            "every process naming the same Raft leader", TimeSpan.FromSeconds(20));
        return nodes[Array.FindIndex(lines, l => l!.Value.Self)];
    }

    private static (string Leader, bool Self)? Latest(string output)
    {
        var at = output.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var line = output[(at + Marker.Length)..].Split('\n')[0].Trim();
        return (line.Split(' ')[0], line.EndsWith("(this node)", StringComparison.Ordinal));
    }
}
