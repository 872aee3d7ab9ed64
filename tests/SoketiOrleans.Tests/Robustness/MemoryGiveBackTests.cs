using System.Text.RegularExpressions;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Robustness;

/// <summary>
/// After a crowd of sockets leaves, the server collects and decommits its heap by itself, as an idle
/// process would otherwise keep the crowd's memory (bench `storm` measures how much comes back;
/// this proves the trigger and that the working set does not grow from it).
/// </summary>
[Collection(nameof(Alone))]
public sealed class MemoryGiveBackTests
{
    private const int Crowd = 1000;

    [Fact]
    public async Task When_a_thousand_sockets_have_left_the_heap_is_collected_and_decommitted_once()
    {
        await using var server = await ServerProcess.Start(new Dictionary<string, string> { ["SOKETI_DEBUG"] = "1" });
        var clients = new List<RawPusherClient>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Crowd), new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (i, _) =>
        {
            var client = await RawPusherClient.Connect(server.WebSocketUri());
            await client.SubscribePublic($"crowd-{i % 50}");
            lock (clients)
            {
                clients.Add(client);
            }
        });
        Assert.Empty(GaveBack(server.Output)); // the crowd arriving is no reason

        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (client, _) => await client.DisposeAsync());

        var lines = await Eventually.Get(() => Task.FromResult(GaveBack(server.Output)), l => l.Length > 0, "the give-back line", TimeSpan.FromSeconds(20));
        var line = Assert.Single(lines); // once for the crowd, not per socket
        Assert.Equal(Crowd, int.Parse(line.Groups["left"].Value));
        Assert.True(int.Parse(line.Groups["after"].Value) <= int.Parse(line.Groups["before"].Value), line.Value);
    }

    private static Match[] GaveBack(string output) =>
        Regex.Matches(output, @"(?<left>\d+) sockets left: collected and decommitted the heap, working set (?<before>\d+) MB to (?<after>\d+) MB in \d+ ms").ToArray();
}
