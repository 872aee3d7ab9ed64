using SoketiOrleans.Tests.Harness;
using Xunit.Abstractions;

namespace SoketiOrleans.Tests.Recovery;

/// <summary><c>local</c> mode: A is the membership primary; C, a process that joined it, dies.</summary>
public sealed class LocalProcessDeathTests(ITestOutputHelper output) : ProcessDeathTests(output)
{
    protected override Task<LocalCluster> Start(IReadOnlyDictionary<string, string> environment) => LocalCluster.Start(3, environment);

    protected override Task<(ServerProcess A, ServerProcess B, ServerProcess C)> Roles(LocalCluster cluster) =>
        Task.FromResult((cluster[0], cluster[1], cluster[2]));
}
