using SoketiOrleans.Tests.Harness;
using static SoketiOrleans.Tests.Recovery.ClusterProbe;

namespace SoketiOrleans.Tests.Cluster;

public static class OneServer
{
    private static readonly PusherSigner Signer = new();

    /// <summary>
    /// A presence channel with a member on every node lists them all on every node, and an event
    /// published through any node reaches the members on all of them.
    /// </summary>
    public static async Task Assert(IReadOnlyList<ServerProcess> nodes)
    {
        var channel = $"presence-one-{Guid.NewGuid():N}";
        var sockets = new List<RawPusherClient>();
        try
        {
            for (var i = 0; i < nodes.Count; i++)
            {
                var socket = await RawPusherClient.Connect(nodes[i].WebSocketUri());
                sockets.Add(socket);
                await socket.SubscribePresence(Signer, channel, Member($"user{i}"));
            }

            var everyone = Enumerable.Range(0, nodes.Count).Select(i => $"user{i}").ToArray();
            foreach (var node in nodes)
            {
                using var api = new PusherApi(node.HttpUri);
                Xunit.Assert.Equal(everyone, await PresenceUsers(api, channel));
            }

            for (var from = 0; from < nodes.Count; from++)
            {
                using var api = new PusherApi(nodes[from].HttpUri);
                ApiAssert.IsOk(await api.Trigger(channel, "hello", $"from {from}"));
                foreach (var socket in sockets)
                {
                    var frame = await socket.WaitFor("hello", channel);
                    Xunit.Assert.Equal($"from {from}", frame.GetProperty("data").GetString());
                }
            }
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }
}
